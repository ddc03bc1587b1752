package dev.shortrun.model.util;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Deliberate faults, for measuring that the regression gate catches a broken build (issue "regression experiments").
 * Off unless the environment variable {@value #ENV} names one: {@code leaky_relu_slope=X} makes every network use
 * LeakyReLU slope X whatever its settings say; {@code data_noise=X} makes training use data noise sigma X. A faulty
 * process says so in its code version ({@code shortrun.git_commit}), so its results are never reused as the real
 * code's. Nothing else reads it; never set it outside such a measurement.
 */
public final class Faults {
    public static final String ENV = "SHORTRUN_FAULT";
    public static final String SLOPE = "leaky_relu_slope";
    public static final String DATA_NOISE = "data_noise";
    private static final Map<String, Double> ACTIVE = parse(System.getenv(ENV));

    private Faults() {
    }

    /** "leaky_relu_slope=0.2" while a fault is active, for the code version. */
    public static Optional<String> active() {
        return ACTIVE.entrySet().stream().findFirst().map(e -> e.getKey() + "=" + e.getValue());
    }

    public static double slope(double configured) {
        return ACTIVE.getOrDefault(SLOPE, configured);
    }

    public static double dataNoise(double configured) {
        return ACTIVE.getOrDefault(DATA_NOISE, configured);
    }

    static Map<String, Double> parse(String value) {
        if (value == null || value.isBlank()) {
            return Map.of();
        }
        String[] kv = value.trim().split("=", 2);
        String name = kv[0].trim().toLowerCase(Locale.ROOT);
        double x;
        try {
            x = kv.length == 2 ? Double.parseDouble(kv[1].trim()) : Double.NaN;
        } catch (NumberFormatException e) {
            x = Double.NaN;
        }
        if (!(name.equals(SLOPE) || name.equals(DATA_NOISE)) || !(x >= 0 && x < 1)) {
            throw new IllegalStateException(ENV + "=" + value + ": expected " + SLOPE + "=X or " + DATA_NOISE
                    + "=X with X in [0, 1) (a deliberate fault for measuring the regression gate), or unset");
        }
        return Map.of(name, x);
    }
}
