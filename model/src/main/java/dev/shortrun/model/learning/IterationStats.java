package dev.shortrun.model.learning;

/**
 * What one learning iteration measured.
 *
 * @param iteration  1-based count of completed updates
 * @param fPositive  mean f(x+) on the noisy data batch
 * @param fNegative  mean f(x-) on the short-run samples
 * @param gradNorm   mean per-sample ||df/dx||_2 over the chain
 * @param steps      K used for this iteration's chains
 * @param dst        the Anatomy paper's d_s_t = mean U(x+) - mean U(x-), U = -c f the energy of the run's Langevin
 *                   ({@link LearnerConfig#energyScale}): negative while the model expands (data energies below
 *                   the samples'), positive while it contracts. In the Anatomy parametrisation it equals the
 *                   reference code's logged (2/eps^2)(mean F(x+) - mean F(x-)).
 * @param rt         r_t: mean over the chain of the per-sample ||(eps^2/2) grad U||_2, the drift actually added to
 *                   x per Langevin step (the reference code's logged mean ||grad F||)
 * @param vt         v_t: the same without the factor eps^2/2, mean ||grad U||_2
 */
public record IterationStats(long iteration, double fPositive, double fNegative, double gradNorm, int steps,
                             double lr, double sigma, double seconds, double dst, double rt, double vt) {
    /** f(x+) - f(x-): the quantity maximised; its drift is the first sign of trouble. */
    public double difference() {
        return fPositive - fNegative;
    }

    public IterationStats withSeconds(double total) {
        return new IterationStats(iteration, fPositive, fNegative, gradNorm, steps, lr, sigma, total, dst, rt, vt);
    }

    /** metrics.csv's header: the {@link IterationMetrics} names in order. */
    public static String csvHeader() {
        return String.join(",", IterationMetrics.ALL.stream().map(IterationMetrics.Metric::name).toList());
    }

    /**
     * Reads a {@link #csvRow()} back, exactly; rows of older files, without the diagnostics, read them as NaN. Rows
     * are read by position: the columns' order never changed, only two names did ({@link IterationMetrics}).
     */
    public static IterationStats fromCsvRow(String row) {
        String[] c = row.split(",", -1);
        int all = IterationMetrics.ALL.size();
        if (c.length != IterationMetrics.SHORT_RUN_COLUMNS && c.length != all) {
            throw new IllegalArgumentException("not a row of " + csvHeader() + ": '" + row + "'");
        }
        double[] v = new double[all];
        for (int i = 0; i < all; i++) {
            v[i] = i < c.length ? Double.parseDouble(c[i]) : Double.NaN;
        }
        return new IterationStats(Long.parseLong(c[0]), v[1], v[2], v[4], Integer.parseInt(c[5]), v[6], v[7], v[8],
                v[9], v[10], v[11]);
    }

    public String csvRow() {
        return String.join(",", IterationMetrics.ALL.stream().map(m -> m.text(this)).toList());
    }
}
