package dev.shortrun.model.metrics;

import java.util.stream.IntStream;

/**
 * Mean and covariance of a set of feature vectors, in float64 as pytorch-fid: {@code np.mean(act, axis=0)} and
 * {@code np.cov(act, rowvar=False)} (divisor n - 1). float32 statistics are too imprecise for FID.
 *
 * @param mean       d entries
 * @param covariance d x d, row-major
 * @param count      number of feature vectors n
 */
public record FeatureStatistics(double[] mean, double[] covariance, int count) {
    private static final int BLOCK = 64;

    public FeatureStatistics {
        if (mean == null || covariance == null || (long) mean.length * mean.length != covariance.length) {
            throw new IllegalArgumentException("statistics need a mean of d entries and a d x d covariance");
        }
    }

    public int dim() {
        return mean.length;
    }

    /**
     * Statistics of {@code features} (n rows of d values). Two passes (mean, then centred products) so large
     * means do not cancel the variance.
     */
    public static FeatureStatistics of(float[][] features) {
        int n = features.length;
        if (n < 2) {
            throw new IllegalArgumentException("a covariance needs at least 2 feature vectors, got " + n);
        }
        int d = features[0].length;
        double[] mean = new double[d];
        for (float[] row : features) {
            if (row.length != d) {
                throw new IllegalArgumentException("feature vectors differ in length: " + d + " and " + row.length);
            }
            for (int j = 0; j < d; j++) {
                mean[j] += row[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        // centred products block by block: memory stays at one block of rows, not a float64 copy of all features
        double[] cov = new double[d * d];
        double[][] block = new double[BLOCK][d];
        for (int from = 0; from < n; from += BLOCK) {
            int rows = Math.min(BLOCK, n - from);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < d; j++) {
                    block[i][j] = features[from + i][j] - mean[j];
                }
            }
            IntStream.range(0, d).parallel().forEach(j -> {
                int row = j * d;
                for (int i = 0; i < rows; i++) {
                    double[] c = block[i];
                    double x = c[j];
                    if (x != 0) {
                        for (int k = j; k < d; k++) {
                            cov[row + k] += x * c[k];
                        }
                    }
                }
            });
        }
        for (int j = 0; j < d; j++) {
            for (int k = j; k < d; k++) {
                cov[j * d + k] /= n - 1;
            }
        }
        for (int j = 0; j < d; j++) {
            for (int k = j + 1; k < d; k++) {
                cov[k * d + j] = cov[j * d + k];
            }
        }
        return new FeatureStatistics(mean, cov, n);
    }
}
