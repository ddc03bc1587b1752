package dev.shortrun.model.learning;

/**
 * A value held constant for {@code decayAfter} iterations, then multiplied by {@code factor} each iteration down to
 * {@code floor}. Covers the short-run paper's late annealing of lr and sigma (constant, then decay) and the Anatomy
 * paper's exponential lr decay to a minimum ({@code decayAfter = 0}).
 */
public record Schedule(double initial, int decayAfter, double factor, double floor) {
    public Schedule {
        if (!Double.isFinite(initial) || initial < 0) {
            throw new IllegalArgumentException("schedule start value must be finite and >= 0, got " + initial);
        }
        if (decayAfter < 0) {
            throw new IllegalArgumentException("decay start must be >= 0, got " + decayAfter);
        }
        if (!(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException("decay factor must be in (0, 1], got " + factor);
        }
        if (!(floor >= 0 && floor <= initial)) {
            throw new IllegalArgumentException("decay floor must be in [0, " + initial + "], got " + floor);
        }
    }

    public static Schedule constant(double value) {
        return new Schedule(value, 0, 1.0, value);
    }

    /** The same schedule in other units (e.g. the Anatomy SGD rate (eps^2/2) * gamma): start and floor times k. */
    public Schedule times(double k) {
        return new Schedule(initial * k, decayAfter, factor, floor * k);
    }

    /** The value used at 0-based iteration {@code t}. */
    public double at(long t) {
        if (t < decayAfter || factor == 1.0) {
            return initial;
        }
        return Math.max(floor, initial * Math.pow(factor, t - decayAfter));
    }
}
