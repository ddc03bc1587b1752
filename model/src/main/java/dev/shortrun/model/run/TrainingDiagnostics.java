package dev.shortrun.model.run;

import dev.shortrun.model.io.LinePlot;
import dev.shortrun.model.learning.IterationMetrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The Anatomy paper's learning diagnostics (its Section 3 and Figure 4): the energy difference d_s_t and the
 * gradient magnitude r_t per iteration, their cross-correlation at lags -15..15 and their autocorrelations at lags
 * 0..15. Convergent learning shows d_s_t oscillating around 0 with r_t following it (the cross-correlation peaks
 * near lag 0, d_s_t's autocorrelation alternates in sign); a flat, one-signed d_s_t means the short-run samples no
 * longer track the model.
 * <p>
 * The correlations follow the reference code's {@code plot_diagnostics}: over the last 2,000 iterations, d_s_t is
 * scaled to unit mean square but left uncentred (its sign is the point), r_t is standardised (sample std, n-1),
 * and {@code corr(k) = sum_n a[n+k] b[n] / (T-1)} as numpy's {@code correlate(a, b, 'full') / (T-1)}.
 */
public final class TrainingDiagnostics {
    public static final int MAX_LAG = 15;
    /** Iterations the correlations look back over (the reference code's {@code t_gap_max}). */
    public static final int WINDOW = 2000;

    private TrainingDiagnostics() {
    }

    /**
     * Correlations at lags {@code lags[i]}: cross-correlation of d_s_t with r_t for -L..L, autocorrelations for 0..L,
     * L = min(15, T - 1).
     */
    public record Correlations(double[] crossLags, double[] cross, double[] autoLags, double[] autoD,
                               double[] autoR) {
    }

    public static Correlations correlations(double[] dst, double[] rt) {
        if (dst.length != rt.length || dst.length < 2) {
            throw new IllegalArgumentException("need two equally long series of at least 2 iterations, got "
                    + dst.length + " and " + rt.length);
        }
        int from = Math.max(0, dst.length - WINDOW);
        double[] d = Arrays.copyOfRange(dst, from, dst.length);
        double[] r = Arrays.copyOfRange(rt, from, rt.length);
        int t = d.length;
        int maxLag = Math.min(MAX_LAG, t - 1);
        double meanSquare = 0;
        for (double v : d) {
            meanSquare += v * v;
        }
        double dScale = Math.sqrt(meanSquare / (t - 1));
        double mean = Arrays.stream(r).average().orElse(0);
        double var = 0;
        for (double v : r) {
            var += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(var / (t - 1));
        double[] dn = Arrays.stream(d).map(v -> v / dScale).toArray();
        double[] rn = Arrays.stream(r).map(v -> (v - mean) / std).toArray();

        double[] crossLags = new double[2 * maxLag + 1];
        double[] cross = new double[2 * maxLag + 1];
        for (int k = -maxLag; k <= maxLag; k++) {
            crossLags[k + maxLag] = k;
            cross[k + maxLag] = lagged(dn, rn, k) / (t - 1);
        }
        double[] autoLags = new double[maxLag + 1];
        double[] autoD = new double[maxLag + 1];
        double[] autoR = new double[maxLag + 1];
        for (int k = 0; k <= maxLag; k++) {
            autoLags[k] = k;
            autoD[k] = lagged(dn, dn, k) / (t - 1);
            autoR[k] = lagged(rn, rn, k) / (t - 1);
        }
        return new Correlations(crossLags, cross, autoLags, autoD, autoR);
    }

    /** sum_n a[n + k] b[n] over the overlap. */
    private static double lagged(double[] a, double[] b, int k) {
        double sum = 0;
        for (int n = Math.max(0, -k); n < b.length && n + k < a.length; n++) {
            sum += a[n + k] * b[n];
        }
        return sum;
    }

    /**
     * Figure 4 from a run's {@code metrics.csv}: d_s_t and r_t over iterations (top), their cross-correlation and
     * autocorrelations (bottom). Returns false (writing nothing) when there are fewer than 2 iterations.
     */
    public static boolean plot(Path metricsCsv, Path png) {
        double[][] c = MetricsLog.columns(metricsCsv, IterationMetrics.ITERATION.name(), IterationMetrics.D_S_T.name(),
                IterationMetrics.R_T.name());
        if (c[0].length < 2) {
            return false;
        }
        Correlations k = correlations(c[1], c[2]);
        List<LinePlot> panels = List.of(
                new LinePlot().title("energy difference d_s_t").xLabel("iteration")
                        .yLabel("d_s_t = mean U(x+) - mean U(x-)").zeroLine(true).add("d_s_t", c[0], c[1]),
                new LinePlot().title("Langevin gradient magnitude r_t").xLabel("iteration")
                        .yLabel("r_t = mean ||(eps^2/2) grad U||").add("r_t", c[0], c[2]),
                new LinePlot().title("cross-correlation of d_s_t and r_t").xLabel("lag").yLabel("correlation")
                        .bars(true).zeroLine(true).add("d_s_t(n+lag), r_t(n)", k.crossLags(), k.cross()),
                new LinePlot().title("autocorrelations").xLabel("lag").yLabel("correlation").bars(true)
                        .zeroLine(true).add("d_s_t", k.autoLags(), k.autoD()).add("r_t", k.autoLags(), k.autoR()));
        panels.forEach(p -> p.size(560, 360));
        try {
            LinePlot.writeGrid(png, 2, panels);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw diagnostics " + png + ": " + e.getMessage(), e);
        }
        return true;
    }
}
