package dev.shortrun.model.data;

import java.util.SplittableRandom;

/** {@code rings}: 4 equally weighted rings, radius k + 0.15 N(0, 1) for k = 1..4, uniform angle. */
final class RingsToy implements ToyDistribution {
    private static final double SD = GaussianMixtureToy.SD;
    private static final int RINGS = 4;

    @Override
    public String name() {
        return "rings";
    }

    @Override
    public String description() {
        return "2D toy: 4 concentric rings (radii 1-4, sd 0.15)";
    }

    @Override
    public void draw(SplittableRandom rng, double[] xy) {
        double r = (1 + rng.nextInt(RINGS)) + SD * rng.nextGaussian();
        double angle = 2 * Math.PI * rng.nextDouble();
        xy[0] = r * Math.cos(angle);
        xy[1] = r * Math.sin(angle);
    }

    /**
     * The REFERENCE formula {@code sum_k w_k N(r; k, 0.15^2) / (2 pi k)}: dividing by the ring's nominal circumference
     * k rather than the point's radius r (the exact density of the sampler) is the reference code's approximation.
     * It still integrates to 1 over the plane (up to the negligible mass at r < 0), but differs from the sampler's
     * density by the factor r/k within each ring.
     */
    @Override
    public double density(double x, double y) {
        double var = SD * SD;
        double r = Math.hypot(x, y);
        double sum = 0;
        for (int k = 1; k <= RINGS; k++) {
            double d = r - k;
            double normal = Math.exp(-d * d / (2 * var)) / Math.sqrt(2 * Math.PI * var);
            sum += normal / (2 * Math.PI * k);
        }
        return sum / RINGS;
    }

    /** Outer radius 4 + 4 sd. */
    @Override
    public double extent() {
        return RINGS + 4 * SD;
    }

    @Override
    public double kdeFactor() {
        return 0.075;
    }
}
