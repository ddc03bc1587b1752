package dev.shortrun.config;

/**
 * A pipeline or sweep spec that cannot be run. {@link #getMessage()} is the single line the CLI prints:
 * {@code <file>:<line>: <key.path>: <problem>}, or {@code --set <arg>: <key.path>: <problem>} for an override.
 */
public final class SpecException extends RuntimeException {
    private final Where where;
    private final String keyPath;
    private final String problem;

    public SpecException(Where where, String keyPath, String problem) {
        super(where + ": " + (keyPath.isEmpty() ? "" : keyPath + ": ") + problem);
        this.where = where;
        this.keyPath = keyPath;
        this.problem = problem;
    }

    /** The spec file, or {@code --set} for an override. */
    public String file() {
        return where.source();
    }

    /** 1-based line in the file; 0 for {@code --set} overrides. */
    public int line() {
        return where.line();
    }

    /** Dotted key path such as {@code learner.lr}; empty for errors not tied to a key (YAML syntax). */
    public String keyPath() {
        return keyPath;
    }

    public String problem() {
        return problem;
    }
}
