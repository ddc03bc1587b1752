package dev.shortrun.model.metrics;

/**
 * The Inception Score from class logits: p(y|x) = softmax(logits) in float64, the samples cut in {@code splits}
 * consecutive parts (part i = rows [i n / splits, (i + 1) n / splits), as the original TF code), per part
 * exp(mean_x KL(p(y|x) || p(y))) with p(y) the part's mean; the score is the mean and (population) standard
 * deviation of the parts' values.
 */
public final class InceptionScore {
    /** The convention of the IS literature. */
    public static final int DEFAULT_SPLITS = 10;

    /** Mean and standard deviation over the splits. */
    public record Result(double mean, double std, double[] perSplit) {
    }

    private InceptionScore() {
    }

    public static Result of(float[][] logits, int splits) {
        int n = logits.length;
        if (splits < 1 || n < splits) {
            throw new IllegalArgumentException("the Inception Score needs at least as many samples (" + n
                    + ") as splits (" + splits + "), and splits >= 1");
        }
        double[][] p = new double[n][];
        for (int i = 0; i < n; i++) {
            p[i] = softmax(logits[i]);
        }
        double[] scores = new double[splits];
        for (int s = 0; s < splits; s++) {
            int from = (int) ((long) s * n / splits);
            int to = (int) ((long) (s + 1) * n / splits);
            scores[s] = Math.exp(meanKl(p, from, to));
        }
        double mean = 0;
        for (double v : scores) {
            mean += v;
        }
        mean /= splits;
        double var = 0;
        for (double v : scores) {
            var += (v - mean) * (v - mean);
        }
        return new Result(mean, Math.sqrt(var / splits), scores);
    }

    static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int k = 0; k < logits.length; k++) {
            p[k] = Math.exp(logits[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < p.length; k++) {
            p[k] /= sum;
        }
        return p;
    }

    /** mean over rows [from, to) of KL(p(y|x) || p(y)), p(y) the mean of those rows; 0 log 0 = 0. */
    private static double meanKl(double[][] p, int from, int to) {
        int k = p[from].length;
        double[] marginal = new double[k];
        for (int i = from; i < to; i++) {
            for (int c = 0; c < k; c++) {
                marginal[c] += p[i][c];
            }
        }
        for (int c = 0; c < k; c++) {
            marginal[c] /= to - from;
        }
        double total = 0;
        for (int i = from; i < to; i++) {
            for (int c = 0; c < k; c++) {
                double q = p[i][c];
                if (q > 0) {
                    total += q * (Math.log(q) - Math.log(marginal[c]));
                }
            }
        }
        return total / (to - from);
    }
}
