package dev.shortrun.model.metrics;

import dev.shortrun.model.data.DatasetFormats;
import dev.shortrun.model.data.ToyDistribution;

/**
 * A square grid of {@code size x size} points over [-extent, extent]^2, spaced as {@code numpy.linspace} (both ends
 * included), on which the Anatomy paper compares 2D densities (Figure 6: 200 x 200 over [-(R+4sd), R+4sd]^2).
 * Cell {@code iy * size + ix} is the point (x_ix, y_iy); row 0 is the lowest y. Densities on the grid are kept as
 * probability masses that sum to 1 over the grid, so a KL divergence between two of them needs no cell area.
 */
public record DensityGrid(double extent, int size) {
    /** Grid side of the paper's density maps ({@code viz_res} in the reference config). */
    public static final int PAPER_SIZE = 200;

    /**
     * Masses below this count as this in {@link #kl}: q = 0 where p > 0 would make the divergence infinite, and a
     * learned density that is exp(-2U/eps^2) routinely underflows there. 1e-12 is far below a uniform cell's mass
     * (1/40,000), so it only caps cells the model effectively excludes; KL(p || q) is then at most about
     * ln(1e12) - H(p) (~20 nats for gmm).
     */
    public static final double MASS_FLOOR = 1e-12;

    public DensityGrid {
        if (!(extent > 0) || !Double.isFinite(extent)) {
            throw new IllegalArgumentException("grid extent must be a positive number, got " + extent);
        }
        if (size < 2) {
            throw new IllegalArgumentException("grid size must be >= 2, got " + size);
        }
    }

    /** The paper's grid for a toy: 200 x 200 over [-(R + 4 sd), R + 4 sd]^2. */
    public static DensityGrid forToy(String toy) {
        return new DensityGrid(DatasetFormats.toy(toy).extent(), PAPER_SIZE);
    }

    /** The i-th coordinate along either axis. */
    public double coordinate(int i) {
        return -extent + 2 * extent * i / (size - 1);
    }

    public int cells() {
        return size * size;
    }

    /** Area represented by one grid point (turns masses back into densities). */
    public double cellArea() {
        double step = 2 * extent / (size - 1);
        return step * step;
    }

    /** All grid points as interleaved x, y (cell order), for evaluating a network in one batch. */
    public float[] points() {
        float[] xy = new float[2 * cells()];
        for (int iy = 0; iy < size; iy++) {
            for (int ix = 0; ix < size; ix++) {
                int c = iy * size + ix;
                xy[2 * c] = (float) coordinate(ix);
                xy[2 * c + 1] = (float) coordinate(iy);
            }
        }
        return xy;
    }

    /** The toy's true density (REFERENCE.md formulas) as masses on the grid. */
    public double[] truth(String toy) {
        ToyDistribution distribution = DatasetFormats.toy(toy);
        double[] density = new double[cells()];
        for (int iy = 0; iy < size; iy++) {
            for (int ix = 0; ix < size; ix++) {
                density[iy * size + ix] = distribution.density(coordinate(ix), coordinate(iy));
            }
        }
        return normalise(density);
    }

    /** Non-negative values scaled to sum to 1. */
    public static double[] normalise(double[] values) {
        double sum = 0;
        for (double v : values) {
            if (!(v >= 0) || !Double.isFinite(v)) {
                throw new IllegalArgumentException("a density must be finite and >= 0, found " + v);
            }
            sum += v;
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("a density that is zero everywhere on the grid cannot be normalised");
        }
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] / sum;
        }
        return out;
    }

    /**
     * Masses proportional to exp(logDensity), normalised with the maximum subtracted first: a learned log-density
     * 2f/eps^2 spans tens of thousands of nats at eps = 0.01, far beyond what exp can hold directly.
     */
    public static double[] fromLogDensity(double[] logDensity) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logDensity) {
            if (Double.isNaN(v) || v == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("log-density must not be NaN or +infinity, found " + v);
            }
            max = Math.max(max, v);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("log-density is -infinity everywhere on the grid");
        }
        double[] out = new double[logDensity.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.exp(logDensity[i] - max);
        }
        return normalise(out);
    }

    /**
     * KL(p || q) = sum over cells of p log(p / q) in nats, for masses on the same grid; cells with p = 0 add
     * nothing and q is floored at {@link #MASS_FLOOR}.
     */
    public static double kl(double[] p, double[] q) {
        if (p.length != q.length) {
            throw new IllegalArgumentException("densities on different grids: " + p.length + " vs " + q.length
                    + " cells");
        }
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                sum += p[i] * (Math.log(p[i]) - Math.log(Math.max(q[i], MASS_FLOOR)));
            }
        }
        return sum;
    }
}
