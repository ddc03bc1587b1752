package dev.shortrun.steps;

import dev.shortrun.steps.settings.Section;
import dev.shortrun.steps.settings.SettingsReader;

/**
 * A step that runs on a run's checkpoints after training (sample, score, diagnose, ...): its name in specs, its
 * settings, and its work. Adding a step is one subclass plus one line in {@link StepRegistry}; the spec schema,
 * validation, {@code --set}, the settings reference and the Beam graph take it from there.
 *
 * @param <S> the step's typed settings, resolved once per run and carried in its {@link RunSpec}
 */
public abstract class StepDefinition<S> {
    /** Which data a step works on. */
    public enum Data { IMAGES, TOYS, ANY }

    private final Section settings;
    private final Class<S> settingsType;

    /** @param settings the step's settings section, named as the step */
    protected StepDefinition(Section settings, Class<S> settingsType) {
        this.settings = settings;
        this.settingsType = settingsType;
    }

    /** The step's name in {@code steps: [...]}; also the section of its settings. */
    public final String name() {
        return settings.name();
    }

    /** One line for the settings reference and help. */
    public final String description() {
        return settings.description();
    }

    /** Its settings ({@code <name>.*}); an empty section for a step without settings. */
    public final Section settings() {
        return settings;
    }

    public final Class<S> settingsType() {
        return settingsType;
    }

    /** Reads its settings for one run (defaults may use the run's training configuration). */
    public abstract S resolve(SettingsReader reader);

    /** The data the step needs; a spec that lists it for other data is refused. */
    public Data data() {
        return Data.ANY;
    }

    /**
     * Whether its settings are resolved (recorded, hashed) for every run, listed or not. Only {@code sample}: its
     * settings were part of every run's params since the first version, so runs keep their names.
     */
    public boolean alwaysResolved() {
        return false;
    }

    /** The Beam work: a new DoFn from checkpoints to result rows. */
    public abstract CheckpointStepFn<S> newFn();
}
