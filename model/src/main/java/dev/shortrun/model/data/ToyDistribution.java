package dev.shortrun.model.data;

import java.util.SplittableRandom;

/**
 * A two-dimensional toy distribution that needs no files, for checking samplers and learners against a known
 * density (the Anatomy paper's Figure 6). Sampling is deterministic for a given seed.
 */
public interface ToyDistribution extends DatasetFormat {
    @Override
    default int channels() {
        return 2;
    }

    @Override
    default boolean isToy() {
        return true;
    }

    /** Fresh draws every batch ({@link ToySource}). */
    @Override
    default PositiveSource open(DataConfig config) {
        return new ToySource(this);
    }

    /** One point drawn with {@code rng}, written to {@code xy[0]}, {@code xy[1]}. */
    void draw(SplittableRandom rng, double[] xy);

    /** The density used as ground truth at (x, y). */
    double density(double x, double y);

    /** Half-width of a square around the origin that holds essentially all mass (the density maps' extent). */
    double extent();

    /** The Anatomy reference configs' KDE bandwidth factor ({@code kde_bw}) for maps of short-run samples. */
    double kdeFactor();

    /** {@code n} points as {@code n*2} floats, x and y interleaved. */
    default float[] sample(int n, long seed) {
        return sample(n, new SplittableRandom(seed));
    }

    default float[] sample(int n, SplittableRandom rng) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0, got " + n);
        }
        float[] out = new float[2 * n];
        double[] xy = new double[2];
        for (int i = 0; i < n; i++) {
            draw(rng, xy);
            out[2 * i] = (float) xy[0];
            out[2 * i + 1] = (float) xy[1];
        }
        return out;
    }
}
