package dev.shortrun.steps.settings;

/**
 * Reads resolved values of declared settings: the value given (in a spec file, a sweep, {@code --set} or a command's
 * flag) or the setting's default, type- and range-checked. Every value read is recorded as the run's params (its
 * MLflow params, and, for hashed settings, its hash); errors name where the bad value was written.
 */
public interface SettingsReader {
    /** The value given, else the default; a required setting that is missing is an error. */
    <T> T get(Setting<T> setting);

    /** The value given, else {@code fallback}, recorded either way (for {@link Default.Derived} defaults). */
    <T> T get(Setting<T> setting, T fallback);

    /** The value if given (checked and recorded), else null with nothing recorded. */
    <T> T getIfGiven(Setting<T> setting);

    /** Whether a value was given (null in YAML counts as not given). */
    boolean isGiven(Setting<?> setting);

    /** An error about this setting's value, naming where it was written (or where it would go). */
    RuntimeException error(Setting<?> setting, String problem);

    /** The context defaults depend on. */
    DefaultContext context();
}
