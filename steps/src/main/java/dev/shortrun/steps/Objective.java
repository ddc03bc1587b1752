package dev.shortrun.steps;

import java.util.List;
import java.util.Objects;

/**
 * What makes a sweep's point its best: a metric, whether lower or higher is better, and at which checkpoint of a run
 * it counts. A sweep without one has no best point.
 *
 * @param metric     a metric the runs report: a step's (e.g. {@code kl_true_kde}, {@code fid}) at a checkpoint, or a
 *                   training one at the run's last iteration ({@code f_diff}, {@code grad_norm},
 *                   {@code seconds_per_iteration})
 * @param direction  {@code min} or {@code max}
 * @param checkpoint {@code last}: the value at the run's last checkpoint; {@code best}: its best over the checkpoints
 */
public record Objective(String metric, String direction, String checkpoint) {
    public static final List<String> DIRECTIONS = List.of("min", "max");
    public static final List<String> CHECKPOINTS = List.of("last", "best");

    public Objective {
        Objects.requireNonNull(metric, "metric");
        if (!DIRECTIONS.contains(direction)) {
            throw new IllegalArgumentException("objective direction must be one of " + DIRECTIONS + ", got '"
                    + direction + "'");
        }
        if (!CHECKPOINTS.contains(checkpoint)) {
            throw new IllegalArgumentException("objective checkpoint must be one of " + CHECKPOINTS + ", got '"
                    + checkpoint + "'");
        }
    }

    /** Whether {@code a} is better than {@code b} (a NaN is never better). */
    public boolean better(double a, double b) {
        if (Double.isNaN(a)) {
            return false;
        }
        return Double.isNaN(b) || (direction.equals("min") ? a < b : a > b);
    }

    /** "kl_true_kde, lower is better, at the last checkpoint". */
    public String describe() {
        return metric + ", " + (direction.equals("min") ? "lower" : "higher") + " is better, at the "
                + (checkpoint.equals("last") ? "last checkpoint" : "best checkpoint of each run");
    }
}
