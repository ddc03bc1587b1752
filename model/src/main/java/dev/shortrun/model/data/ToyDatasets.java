package dev.shortrun.model.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Two-dimensional toy distributions that need no files, for checking samplers against a known density.
 *
 * <ul>
 *   <li>{@code gmm}: 8 equally weighted isotropic Gaussians, sd 0.15, means on the unit circle at angles
 *       2*pi*k/8.</li>
 *   <li>{@code rings}: 4 equally weighted rings, radius k + 0.15*N(0,1) for k = 1..4, uniform angle.</li>
 * </ul>
 * Sampling is deterministic for a given seed.
 */
public final class ToyDatasets {
    public static final double SD = 0.15;
    private static final int MODES = 8;
    private static final int RINGS = 4;
    private static final List<String> NAMES = List.of("gmm", "rings");

    private ToyDatasets() {}

    public static List<String> names() {
        return NAMES;
    }

    /** {@code n} points as {@code n*2} floats, x and y interleaved. */
    public static float[] sample(String name, int n, long seed) {
        return sample(name, n, new SplittableRandom(seed));
    }

    public static float[] sample(String name, int n, SplittableRandom rng) {
        check(name);
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, got " + n);
        float[] out = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double x, y;
            if (name.equals("gmm")) {
                double angle = 2 * Math.PI * rng.nextInt(MODES) / MODES;
                x = Math.cos(angle) + SD * rng.nextGaussian();
                y = Math.sin(angle) + SD * rng.nextGaussian();
            } else {
                double r = (1 + rng.nextInt(RINGS)) + SD * rng.nextGaussian();
                double angle = 2 * Math.PI * rng.nextDouble();
                x = r * Math.cos(angle);
                y = r * Math.sin(angle);
            }
            out[2 * i] = (float) x;
            out[2 * i + 1] = (float) y;
        }
        return out;
    }

    /**
     * The density used as ground truth. For {@code rings} this is the REFERENCE formula
     * {@code sum_k w_k N(r; k, 0.15^2) / (2 pi k)}: dividing by the ring's nominal circumference k rather
     * than the point's radius r (the exact density of the sampler) is the reference code's approximation.
     * It still integrates to 1 over the plane (up to the negligible mass at r < 0), but differs from the
     * sampler's density by the factor r/k within each ring.
     */
    public static double trueDensity(String name, double x, double y) {
        check(name);
        double var = SD * SD;
        double sum = 0;
        if (name.equals("gmm")) {
            for (int k = 0; k < MODES; k++) {
                double angle = 2 * Math.PI * k / MODES;
                double dx = x - Math.cos(angle), dy = y - Math.sin(angle);
                sum += Math.exp(-(dx * dx + dy * dy) / (2 * var)) / (2 * Math.PI * var);
            }
            return sum / MODES;
        }
        double r = Math.hypot(x, y);
        for (int k = 1; k <= RINGS; k++) {
            double d = r - k;
            double normal = Math.exp(-d * d / (2 * var)) / Math.sqrt(2 * Math.PI * var);
            sum += normal / (2 * Math.PI * k);
        }
        return sum / RINGS;
    }

    /** Half-width of a square that holds essentially all mass: outer radius + 4 sd. */
    public static double extent(String name) {
        check(name);
        return (name.equals("gmm") ? 1 : RINGS) + 4 * SD;
    }

    private static void check(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown toy data set '" + name + "'; allowed: " + String.join(", ", NAMES));
        }
    }
}
