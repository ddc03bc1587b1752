package dev.shortrun.regression;

import java.util.Arrays;
import java.util.List;

/** One configuration's values of one metric, one per seed (finite values only). */
record SeedValues(double[] values) {
    static SeedValues of(List<Double> values) {
        return new SeedValues(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    int n() {
        return values.length;
    }

    double mean() {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    /** The sample variance (n - 1); NaN for fewer than two values. */
    double variance() {
        if (values.length < 2) {
            return Double.NaN;
        }
        double mean = mean();
        return Arrays.stream(values).map(v -> (v - mean) * (v - mean)).sum() / (values.length - 1);
    }

    double sd() {
        return Math.sqrt(variance());
    }

    double median() {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    /** The worst seed: the highest value when higher is worse ({@code worseSign} +1), else the lowest. */
    double worst(int worseSign) {
        return worseSign > 0 ? Arrays.stream(values).max().orElse(Double.NaN)
                : Arrays.stream(values).min().orElse(Double.NaN);
    }
}
