package dev.shortrun.model.data;

import java.util.SplittableRandom;

/** {@code gmm}: 8 equally weighted isotropic Gaussians, sd 0.15, means on the unit circle at angles 2 pi k / 8. */
final class GaussianMixtureToy implements ToyDistribution {
    static final double SD = 0.15;
    private static final int MODES = 8;

    @Override
    public String name() {
        return "gmm";
    }

    @Override
    public String description() {
        return "2D toy: 8 Gaussians (sd 0.15) on the unit circle";
    }

    @Override
    public void draw(SplittableRandom rng, double[] xy) {
        double angle = 2 * Math.PI * rng.nextInt(MODES) / MODES;
        xy[0] = Math.cos(angle) + SD * rng.nextGaussian();
        xy[1] = Math.sin(angle) + SD * rng.nextGaussian();
    }

    @Override
    public double density(double x, double y) {
        double var = SD * SD;
        double sum = 0;
        for (int k = 0; k < MODES; k++) {
            double angle = 2 * Math.PI * k / MODES;
            double dx = x - Math.cos(angle);
            double dy = y - Math.sin(angle);
            sum += Math.exp(-(dx * dx + dy * dy) / (2 * var)) / (2 * Math.PI * var);
        }
        return sum / MODES;
    }

    /** Outer radius 1 + 4 sd. */
    @Override
    public double extent() {
        return 1 + 4 * SD;
    }

    @Override
    public double kdeFactor() {
        return 0.1;
    }
}
