package dev.shortrun.model.metrics;

/**
 * A 2D Gaussian kernel density estimate with the semantics of scipy's {@code gaussian_kde(points, bw_method=h)} for
 * a scalar h: every kernel has covariance {@code h^2 * cov(points)} (the unbiased sample covariance), so h is a
 * factor on the samples' own spread, not an absolute width. The Anatomy paper uses h = 0.1 (gmm) and 0.075 (rings):
 * {@link dev.shortrun.model.data.ToyDistribution#kdeFactor}.
 */
public final class GaussianKde {
    /**
     * Kernels are summed only where the squared Mahalanobis distance is below this: beyond it a kernel is below
     * exp(-40) ~ 4e-18 of its peak, far under any mass the maps or the KL floor can show.
     */
    static final double CUTOFF_SQUARED = 80;

    private final float[] xy;
    private final int n;
    private final double factor;
    /** Kernel covariance [[a, b], [b, c]] and its inverse [[ia, ib], [ib, ic]]. */
    private final double a, b, c, ia, ib, ic;
    private final double norm;

    /**
     * @param xy     interleaved x, y of at least 3 samples (all finite)
     * @param factor bandwidth factor h > 0
     */
    public GaussianKde(float[] xy, double factor) {
        if (xy.length % 2 != 0 || xy.length < 6) {
            throw new IllegalArgumentException("a 2D KDE needs at least 3 interleaved x, y points, got "
                    + xy.length + " values");
        }
        if (!(factor > 0) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException("KDE bandwidth factor must be positive, got " + factor);
        }
        this.xy = xy.clone();
        this.n = xy.length / 2;
        this.factor = factor;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(xy[2 * i]) || !Float.isFinite(xy[2 * i + 1])) {
                throw new IllegalArgumentException("KDE sample " + i + " is not finite: (" + xy[2 * i] + ", "
                        + xy[2 * i + 1] + ")");
            }
            mx += xy[2 * i];
            my += xy[2 * i + 1];
        }
        mx /= n;
        my /= n;
        double sxx = 0, sxy = 0, syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = xy[2 * i] - mx, dy = xy[2 * i + 1] - my;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        double h2 = factor * factor / (n - 1); // unbiased covariance, as np.cov
        a = sxx * h2;
        b = sxy * h2;
        c = syy * h2;
        double det = a * c - b * b;
        if (!(det > 1e-300 * Math.max(1, a * c))) {
            throw new IllegalArgumentException(String.format("the %d samples have a singular covariance "
                    + "(var x %.3g, var y %.3g, cov %.3g): they collapsed onto a line or a point, so no KDE exists",
                    n, sxx / (n - 1), syy / (n - 1), sxy / (n - 1)));
        }
        ia = c / det;
        ib = -b / det;
        ic = a / det;
        norm = 1.0 / (2 * Math.PI * Math.sqrt(det) * n);
    }

    public double factor() {
        return factor;
    }

    /** The kernel covariance {xx, xy, yy}. */
    public double[] kernelCovariance() {
        return new double[] {a, b, c};
    }

    /** The estimate at one point, summed over every kernel (no cut-off). */
    public double density(double x, double y) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(-0.5 * mahalanobis(x - xy[2 * i], y - xy[2 * i + 1]));
        }
        return sum * norm;
    }

    /** The estimate at every grid point (a density per unit area, not yet normalised on the grid). */
    public double[] evaluate(DensityGrid grid) {
        double[] out = new double[grid.cells()];
        int size = grid.size();
        double step = 2 * grid.extent() / (size - 1);
        // The cut-off ellipse's bounding box: |dx| <= sqrt(cutoff * a), |dy| <= sqrt(cutoff * c).
        double rx = Math.sqrt(CUTOFF_SQUARED * a), ry = Math.sqrt(CUTOFF_SQUARED * c);
        for (int i = 0; i < n; i++) {
            double px = xy[2 * i], py = xy[2 * i + 1];
            int x0 = Math.max(0, (int) Math.ceil((px - rx + grid.extent()) / step));
            int x1 = Math.min(size - 1, (int) Math.floor((px + rx + grid.extent()) / step));
            int y0 = Math.max(0, (int) Math.ceil((py - ry + grid.extent()) / step));
            int y1 = Math.min(size - 1, (int) Math.floor((py + ry + grid.extent()) / step));
            for (int iy = y0; iy <= y1; iy++) {
                double dy = grid.coordinate(iy) - py;
                for (int ix = x0; ix <= x1; ix++) {
                    double d2 = mahalanobis(grid.coordinate(ix) - px, dy);
                    if (d2 < CUTOFF_SQUARED) {
                        out[iy * size + ix] += Math.exp(-0.5 * d2);
                    }
                }
            }
        }
        for (int k = 0; k < out.length; k++) {
            out[k] *= norm;
        }
        return out;
    }

    private double mahalanobis(double dx, double dy) {
        return ia * dx * dx + 2 * ib * dx * dy + ic * dy * dy;
    }
}
