package dev.shortrun.model.metrics;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.stream.IntStream;

/**
 * The Fréchet distance between two Gaussians, as pytorch-fid's {@code calculate_frechet_distance}:
 * {@code |mu1 - mu2|^2 + tr(S1) + tr(S2) - 2 tr(sqrtm(S1 S2))}.
 *
 * <p>pytorch-fid takes {@code sqrtm} of the non-symmetric product with SciPy's Schur method. Here the trace is
 * computed from symmetric matrices instead: with S1 = L L^T (pivoted Cholesky, which also covers a singular S1),
 * S1 S2 and the symmetric L^T S2 L have the same non-zero eigenvalues, so tr(sqrtm(S1 S2)) = sum sqrt(lambda_i) of
 * L^T S2 L. This equals sqrt(S1) S2 sqrt(S1) up to an orthogonal similarity and is stable in float64.
 *
 * <p>pytorch-fid's rules, carried over: when the first attempt is not finite ("singular product"), add
 * {@code eps I} to both covariances and retry; a square root with an imaginary part above 1e-3 is an error,
 * smaller ones are dropped (the real part is taken). Here the imaginary parts come from negative eigenvalues
 * lambda of the PSD-up-to-rounding L^T S2 L: sqrt(lambda) has imaginary part sqrt(-lambda).
 */
public final class FrechetDistance {
    private static final Logger LOG = LoggerFactory.getLogger(FrechetDistance.class);
    /** pytorch-fid's default offset for the singular-product retry. */
    public static final double EPS = 1e-6;
    /** pytorch-fid's tolerance on the imaginary part of the square root. */
    public static final double IMAGINARY_TOLERANCE = 1e-3;

    /**
     * @param distance      the Fréchet distance
     * @param epsilonAdded  true when the singular-product retry with eps I was needed
     * @param maxImaginary  the largest imaginary part dropped from the square root's eigenvalues
     */
    public record Result(double distance, boolean epsilonAdded, double maxImaginary) {
    }

    private FrechetDistance() {
    }

    public static double of(FeatureStatistics a, FeatureStatistics b) {
        return compute(a, b).distance();
    }

    public static Result compute(FeatureStatistics a, FeatureStatistics b) {
        int d = a.dim();
        if (b.dim() != d) {
            throw new IllegalArgumentException("statistics have different dimensions: " + d + " and " + b.dim());
        }
        requireFinite(a, "first");
        requireFinite(b, "second");
        double meanTerm = 0;
        double traces = 0;
        for (int i = 0; i < d; i++) {
            double diff = a.mean()[i] - b.mean()[i];
            meanTerm += diff * diff;
            traces += a.covariance()[i * d + i] + b.covariance()[i * d + i];
        }
        double[] lambda = productEigenvalues(a.covariance(), b.covariance(), d, 0);
        boolean retried = false;
        if (!allFinite(lambda)) {
            LOG.warn("fid calculation produces singular product; adding {} to diagonal of cov estimates", EPS);
            lambda = productEigenvalues(a.covariance(), b.covariance(), d, EPS);
            retried = true;
            if (!allFinite(lambda)) {
                throw new ArithmeticException("Fréchet distance: the covariance product is not finite even with "
                        + EPS + " added to the diagonals");
            }
        }
        double traceSqrt = 0;
        double maxImaginary = 0;
        for (double l : lambda) {
            if (l >= 0) {
                traceSqrt += Math.sqrt(l);
            } else {
                maxImaginary = Math.max(maxImaginary, Math.sqrt(-l));
            }
        }
        if (maxImaginary > IMAGINARY_TOLERANCE) {
            throw new ArithmeticException("Fréchet distance: imaginary component " + maxImaginary
                    + " in sqrtm(S1 S2) (too few samples for the feature dimension, or not covariance matrices)");
        }
        // As pytorch-fid: the eps only enters the square root, the traces are those of the original covariances.
        return new Result(meanTerm + traces - 2 * traceSqrt, retried, maxImaginary);
    }

    /** Eigenvalues of L^T (S2 + offset I) L where (S1 + offset I) = L L^T. */
    static double[] productEigenvalues(double[] s1, double[] s2, int d, double offset) {
        double[] first = s1.clone();
        double[] second = s2.clone();
        for (int i = 0; i < d; i++) {
            first[i * d + i] += offset;
            second[i * d + i] += offset;
        }
        PivotedCholesky chol = PivotedCholesky.of(first, d);
        int r = chol.rank();
        double[] l = chol.factor(); // d x r, rows in original order
        // B = S2 L (d x r), then M = L^T B (r x r, symmetric: compute the lower triangle)
        double[] bMat = new double[d * r];
        IntStream.range(0, d).parallel().forEach(i -> {
            int bi = i * r;
            for (int k = 0; k < d; k++) {
                double s = second[i * d + k];
                if (s != 0) {
                    int lk = k * r;
                    for (int j = 0; j < r; j++) {
                        bMat[bi + j] += s * l[lk + j];
                    }
                }
            }
        });
        double[] m = new double[r * r];
        IntStream.range(0, r).parallel().forEach(i -> {
            int mi = i * r;
            for (int k = 0; k < d; k++) {
                double lki = l[k * r + i];
                if (lki != 0) {
                    int bk = k * r;
                    for (int j = 0; j <= i; j++) {
                        m[mi + j] += lki * bMat[bk + j];
                    }
                }
            }
        });
        return SymmetricEigen.eigenvalues(m, r);
    }

    private static void requireFinite(FeatureStatistics s, String which) {
        if (!allFinite(s.mean()) || !allFinite(s.covariance())) {
            throw new IllegalArgumentException("the " + which + " statistics contain NaN or infinite values");
        }
    }

    private static boolean allFinite(double[] values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
