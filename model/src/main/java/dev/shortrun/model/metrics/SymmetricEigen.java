package dev.shortrun.model.metrics;

/**
 * Eigenvalues of a dense real symmetric matrix in float64: Householder reduction to tridiagonal form, then the
 * implicit QL iteration with Wilkinson shifts (the textbook EISPACK tred/tql pair, written here from the
 * algorithm). Only eigenvalues are needed for FID, which saves the O(n^3) accumulation of eigenvectors.
 */
public final class SymmetricEigen {
    private static final int MAX_ITERATIONS_PER_VALUE = 60;

    private SymmetricEigen() {
    }

    /**
     * Eigenvalues (ascending) of the symmetric {@code n x n} matrix {@code a} (row-major; only the lower triangle
     * is read). {@code a} is overwritten.
     */
    public static double[] eigenvalues(double[] a, int n) {
        double[] diag = new double[n];
        double[] off = new double[n];
        tridiagonalize(a, n, diag, off);
        ql(diag, off, n);
        java.util.Arrays.sort(diag);
        return diag;
    }

    /**
     * Householder reduction: for i = n-1 down to 1 a reflector zeroes row i left of the sub-diagonal. On return
     * {@code diag} holds the diagonal and {@code off[i]} the element (i, i-1) of the tridiagonal matrix.
     */
    static void tridiagonalize(double[] a, int n, double[] diag, double[] off) {
        double[] p = new double[n];
        for (int i = n - 1; i > 0; i--) {
            int row = i * n;
            int l = i - 1;
            double scale = 0;
            for (int k = 0; k <= l; k++) {
                scale += Math.abs(a[row + k]);
            }
            if (l == 0 || scale == 0) {
                off[i] = a[row + l];
                diag[i] = 0;
                continue;
            }
            // v = row i (scaled against overflow), alpha chosen to avoid cancellation
            double h = 0;
            for (int k = 0; k <= l; k++) {
                a[row + k] /= scale;
                h += a[row + k] * a[row + k];
            }
            double f = a[row + l];
            double g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
            off[i] = scale * g;
            h -= f * g;
            a[row + l] = f - g;
            // p = A v / h (A the leading (l+1) block, lower triangle stored), then K = v.p / 2h, q = p - K v
            final double hh = h;
            java.util.stream.IntStream.rangeClosed(0, l).parallel().forEach(j -> {
                double s = 0;
                int rj = j * n;
                for (int k = 0; k <= j; k++) {
                    s += a[rj + k] * a[row + k];
                }
                for (int k = j + 1; k <= l; k++) {
                    s += a[k * n + j] * a[row + k];
                }
                p[j] = s / hh;
            });
            double vp = 0;
            for (int k = 0; k <= l; k++) {
                vp += a[row + k] * p[k];
            }
            double kk = vp / (h + h);
            for (int k = 0; k <= l; k++) {
                p[k] -= kk * a[row + k];
            }
            // A <- A - v q^T - q v^T on the lower triangle
            java.util.stream.IntStream.rangeClosed(0, l).parallel().forEach(j -> {
                double vj = a[row + j];
                double qj = p[j];
                int rj = j * n;
                for (int k = 0; k <= j; k++) {
                    a[rj + k] -= vj * p[k] + qj * a[row + k];
                }
            });
            diag[i] = h;
        }
        for (int i = 0; i < n; i++) {
            diag[i] = a[i * n + i];
        }
    }

    /**
     * Implicit QL with shifts on the tridiagonal matrix (diag, off[i] = element (i, i-1)); eigenvalues replace
     * {@code diag}.
     */
    static void ql(double[] d, double[] off, int n) {
        double[] e = new double[n];
        for (int i = 1; i < n; i++) {
            e[i - 1] = off[i];
        }
        e[n - 1] = 0;
        for (int l = 0; l < n; l++) {
            int iterations = 0;
            while (true) {
                int m = l;
                for (; m < n - 1; m++) {
                    double dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
                    if (Math.abs(e[m]) <= Math.ulp(dd)) {
                        break;
                    }
                }
                if (m == l) {
                    break;
                }
                if (++iterations > MAX_ITERATIONS_PER_VALUE) {
                    throw new ArithmeticException("tridiagonal QL did not converge (non-finite matrix?)");
                }
                double g = (d[l + 1] - d[l]) / (2 * e[l]);
                double r = Math.hypot(g, 1);
                g = d[m] - d[l] + e[l] / (g + Math.copySign(r, g));
                double s = 1;
                double c = 1;
                double p = 0;
                int i = m - 1;
                boolean underflow = false;
                for (; i >= l; i--) {
                    double f = s * e[i];
                    double b = c * e[i];
                    r = Math.hypot(f, g);
                    e[i + 1] = r;
                    if (r == 0) {
                        d[i + 1] -= p;
                        e[m] = 0;
                        underflow = true;
                        break;
                    }
                    s = f / r;
                    c = g / r;
                    g = d[i + 1] - p;
                    r = (d[i] - g) * s + 2 * c * b;
                    p = s * r;
                    d[i + 1] = g + p;
                    g = c * r - b;
                }
                if (underflow) {
                    continue;
                }
                d[l] -= p;
                e[l] = g;
                e[m] = 0;
            }
        }
    }
}
