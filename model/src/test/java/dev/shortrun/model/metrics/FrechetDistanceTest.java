package dev.shortrun.model.metrics;

import dev.shortrun.model.TestSupport;
import dev.shortrun.model.io.Npy;
import dev.shortrun.model.io.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Fréchet distance against closed forms and against pytorch-fid's formula with SciPy's sqrtm. */
class FrechetDistanceTest {

    @Test
    void unitShiftOfIdentityGaussiansIn2048DimensionsIs2048() {
        int d = 2048;
        double[] identity = new double[d * d];
        for (int i = 0; i < d; i++) {
            identity[i * d + i] = 1;
        }
        double[] ones = new double[d];
        java.util.Arrays.fill(ones, 1);
        long start = System.nanoTime();
        double fid = FrechetDistance.of(new FeatureStatistics(new double[d], identity, 10_000),
                new FeatureStatistics(ones, identity.clone(), 10_000));
        System.out.printf("FID of N(0, I) vs N(1, I) in 2048-d: %.12f (%.1f s)%n", fid,
                (System.nanoTime() - start) / 1e9);
        assertEquals(2048.0, fid, 1e-9);
    }

    @Test
    void scaledCovariancesMatchTheClosedForm() {
        // N(0, a I) vs N(0, b I): d (sqrt(a) - sqrt(b))^2
        int d = 50;
        double[] sa = new double[d * d];
        double[] sb = new double[d * d];
        for (int i = 0; i < d; i++) {
            sa[i * d + i] = 4;
            sb[i * d + i] = 9;
        }
        double fid = FrechetDistance.of(new FeatureStatistics(new double[d], sa, 100),
                new FeatureStatistics(new double[d], sb, 100));
        assertEquals(d * 1.0, fid, 1e-10);
    }

    @Test
    void symmetricEigenvaluesOfAKnownMatrix() {
        // tridiagonal 2 -1 ... : eigenvalues 2 - 2 cos(k pi / (n + 1))
        int n = 30;
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            a[i * n + i] = 2;
            if (i > 0) {
                a[i * n + i - 1] = -1;
                a[(i - 1) * n + i] = -1;
            }
        }
        // rotate by a random orthogonal similarity so the reduction has work to do
        double[] q = randomOrthogonal(n, new Random(3));
        double[] b = multiply(multiply(transpose(q, n), a, n), q, n);
        double[] lambda = SymmetricEigen.eigenvalues(b, n);
        for (int k = 1; k <= n; k++) {
            assertEquals(2 - 2 * Math.cos(k * Math.PI / (n + 1)), lambda[k - 1], 1e-12);
        }
    }

    @Test
    void matchesScipySqrtmOnRandomCovariances(@TempDir Path dir) throws Exception {
        // full rank (n > d), a harder spectrum, and a singular product (n < d) where SciPy still succeeds
        int[][] cases = {{300, 64}, {1200, 256}, {40, 64}};
        Random random = new Random(11);
        for (int[] c : cases) {
            int n = c[0];
            int d = c[1];
            float[][] x = new float[n][d];
            float[][] y = new float[n][d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    // correlated, non-negative, unequal scales: like pooled ReLU features
                    x[i][j] = (float) Math.abs(random.nextGaussian() * (1 + j % 7) + (j > 0 ? 0.5 * x[i][j - 1] : 0));
                    y[i][j] = (float) Math.abs(random.nextGaussian() * (1 + j % 5) + 0.3);
                }
            }
            Npy.write(dir.resolve("x.npy"), toTensor(x));
            Npy.write(dir.resolve("y.npy"), toTensor(y));
            double expected = scipyFid(dir);
            Result r = new Result(FrechetDistance.compute(FeatureStatistics.of(x), FeatureStatistics.of(y)));
            System.out.printf("n=%d d=%d: java %.12f scipy %.12f rel %.2e%n", n, d, r.value, expected,
                    Math.abs(r.value - expected) / expected);
            assertEquals(expected, r.value, 1e-6 * expected, "n=" + n + " d=" + d);
        }
    }

    @Test
    void largeImaginaryPartIsAnError() {
        // not covariances: an indefinite "covariance" gives sqrt of a clearly negative eigenvalue
        int d = 2;
        double[] s1 = {1, 0, 0, 1};
        double[] s2 = {1, 0, 0, -1};
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> FrechetDistance.of(
                new FeatureStatistics(new double[d], s1, 10), new FeatureStatistics(new double[d], s2, 10)));
        assertTrue(e.getMessage().contains("imaginary component"), e.getMessage());
    }

    @Test
    void nonFiniteStatisticsAreRejected() {
        double[] s = {1, 0, 0, Double.NaN};
        assertThrows(IllegalArgumentException.class, () -> FrechetDistance.of(
                new FeatureStatistics(new double[2], s, 10), new FeatureStatistics(new double[2], s.clone(), 10)));
    }

    @Test
    void covarianceUsesNMinusOne() {
        FeatureStatistics s = FeatureStatistics.of(new float[][] {{1, 2}, {3, 6}});
        assertEquals(2.0, s.mean()[0], 0);
        assertEquals(2.0, s.covariance()[0], 1e-15); // ((1-2)^2 + (3-2)^2) / 1
        assertEquals(4.0, s.covariance()[1], 1e-15);
        assertEquals(8.0, s.covariance()[3], 1e-15);
        assertFalse(FrechetDistance.compute(s, s).epsilonAdded());
    }

    private record Result(double value) {
        Result(FrechetDistance.Result r) {
            this(r.distance());
        }
    }

    /** pytorch-fid's calculate_frechet_distance, verbatim in its rules, on np.cov of the same float32 features. */
    static double scipyFid(Path dir) throws IOException, InterruptedException {
        String script = String.join("\n",
                "import sys, numpy as np",
                "from scipy import linalg",
                "d = sys.argv[1]",
                "x = np.load(d + '/x.npy').astype(np.float64); y = np.load(d + '/y.npy').astype(np.float64)",
                "m1, s1 = x.mean(0), np.cov(x, rowvar=False)",
                "m2, s2 = y.mean(0), np.cov(y, rowvar=False)",
                "diff = m1 - m2",
                "covmean, _ = linalg.sqrtm(s1.dot(s2), disp=False)",
                "if not np.isfinite(covmean).all():",
                "    off = np.eye(s1.shape[0]) * 1e-6",
                "    covmean = linalg.sqrtm((s1 + off).dot(s2 + off))",
                "if np.iscomplexobj(covmean):",
                "    assert np.allclose(np.diagonal(covmean).imag, 0, atol=1e-3)",
                "    covmean = covmean.real",
                "print(repr(float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))))");
        Path py = dir.resolve("fid.py");
        Files.writeString(py, script);
        Process p = new ProcessBuilder(TestSupport.python(), py.toString(), dir.toString()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), "SciPy reference failed (Debian python3-scipy installed?):\n" + out);
        String[] lines = out.split("\n");
        return Double.parseDouble(lines[lines.length - 1]);
    }

    static Tensor toTensor(float[][] rows) {
        int n = rows.length;
        int d = rows[0].length;
        float[] flat = new float[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows[i], 0, flat, i * d, d);
        }
        return new Tensor(new long[] {n, d}, flat);
    }

    private static double[] randomOrthogonal(int n, Random random) {
        // Gram-Schmidt on a Gaussian matrix (columns)
        double[] q = new double[n * n];
        for (int j = 0; j < n; j++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = random.nextGaussian();
            }
            for (int k = 0; k < j; k++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += v[i] * q[i * n + k];
                }
                for (int i = 0; i < n; i++) {
                    v[i] -= dot * q[i * n + k];
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                q[i * n + j] = v[i] / norm;
            }
        }
        return q;
    }

    private static double[] transpose(double[] a, int n) {
        double[] t = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                t[j * n + i] = a[i * n + j];
            }
        }
        return t;
    }

    private static double[] multiply(double[] a, double[] b, int n) {
        double[] c = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                for (int j = 0; j < n; j++) {
                    c[i * n + j] += a[i * n + k] * b[k * n + j];
                }
            }
        }
        return c;
    }
}
