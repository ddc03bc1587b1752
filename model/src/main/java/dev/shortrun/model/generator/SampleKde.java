package dev.shortrun.model.generator;

/**
 * A 2D Gaussian kernel density estimate as scipy's {@code gaussian_kde(points, bw_method=factor)}: kernel covariance
 * = factor^2 x the samples' covariance (n - 1), equal weights. Minimal on purpose: only for comparing the flow
 * density of a toy's chain with its samples.
 */
public final class SampleKde {
    private final double[] points;
    private final double[] inverse = new double[4];
    private final double norm;

    public SampleKde(double[] xy, double factor) {
        int n = xy.length / 2;
        if (n < 2) {
            throw new IllegalArgumentException("a KDE needs at least 2 samples, got " + n);
        }
        this.points = xy.clone();
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += xy[2 * i];
            my += xy[2 * i + 1];
        }
        mx /= n;
        my /= n;
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = xy[2 * i] - mx;
            double dy = xy[2 * i + 1] - my;
            sxx += dx * dx;
            sxy += dx * dy;
            syy += dy * dy;
        }
        double f2 = factor * factor / (n - 1);
        double a = sxx * f2;
        double b = sxy * f2;
        double d = syy * f2;
        double det = a * d - b * b;
        if (!(det > 0)) {
            throw new IllegalArgumentException("samples are degenerate (singular covariance)");
        }
        inverse[0] = d / det;
        inverse[1] = -b / det;
        inverse[2] = -b / det;
        inverse[3] = a / det;
        norm = 1 / (2 * Math.PI * Math.sqrt(det) * n);
    }

    public double density(double x, double y) {
        double sum = 0;
        for (int i = 0; i < points.length; i += 2) {
            double dx = x - points[i];
            double dy = y - points[i + 1];
            sum += Math.exp(-0.5 * (dx * (inverse[0] * dx + inverse[1] * dy) + dy * (inverse[2] * dx
                    + inverse[3] * dy)));
        }
        return sum * norm;
    }

    /** Density at each of the (n, 2) points given row-major. */
    public double[] density(double[] xy) {
        double[] out = new double[xy.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = density(xy[2 * i], xy[2 * i + 1]);
        }
        return out;
    }
}
