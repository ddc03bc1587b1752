package dev.shortrun.model.learning;

/** Training stopped because energies went non-finite or exploded; carries the offending iteration's numbers. */
public final class DivergenceException extends RuntimeException {
    private final IterationStats stats;

    public DivergenceException(String message, IterationStats stats) {
        super(message);
        this.stats = stats;
    }

    public IterationStats stats() {
        return stats;
    }
}
