package dev.shortrun.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * A sweep's regression checks ({@code regression:} in a sweep spec): which metrics of its runs must not get worse
 * than a baseline's, by how much, and how the seeds of one configuration are combined before they are compared.
 *
 * @param baseline the baseline file the gate uses by default (relative paths are relative to the sweep file), or
 *                 null when the sweep names none ({@code compare --baseline} must then say which)
 * @param alpha    the family-wise false-alarm level of the checks that test the seeds' means (Bonferroni-split over
 *                 those tests)
 * @param checks   at least one
 */
public record Regression(Path baseline, double alpha, List<Check> checks) {
    public static final double DEFAULT_ALPHA = 0.05;
    /** How the seeds of one configuration are combined. */
    public static final List<String> SEEDS = List.of("mean", "median", "worst");

    public Regression {
        checks = List.copyOf(checks);
    }

    /**
     * One metric that must not get worse.
     *
     * @param metric    a step metric at each run's last checkpoint (kl_true_kde, fid, ...) or a training metric
     *                  (f_diff, grad_norm, seconds_per_iteration)
     * @param direction min (lower is better) or max
     * @param tolerance how much worse is still no regression
     * @param seeds     mean: a one-sided Welch t-test of "worse by more than the tolerance" over the seeds; median,
     *                  worst: the seeds' median (or worst value) compared against the tolerance alone
     */
    public record Check(String metric, String direction, Tolerance tolerance, String seeds) {
        /** +1 when a higher value is worse, -1 when a lower one is. */
        public int worseSign() {
            return direction.equals("min") ? 1 : -1;
        }
    }

    /**
     * How much worse a value may get: an absolute amount in the metric's units, or a fraction of the baseline's value.
     */
    public record Tolerance(double amount, boolean relative) {
        public double absolute(double baseline) {
            return relative ? amount * Math.abs(baseline) : amount;
        }

        @Override
        public String toString() {
            return relative ? String.format(Locale.ROOT, "%.4g%%", amount * 100)
                    : String.format(Locale.ROOT, "%.4g", amount);
        }
    }
}
