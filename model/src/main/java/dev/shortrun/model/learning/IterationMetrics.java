package dev.shortrun.model.learning;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The per-iteration metrics, declared once: their names are the columns of a run's {@code metrics.csv} (in this
 * order), the metric keys logged to MLflow and the local tracking record, the columns of a pipeline's summary and
 * the names the README uses.
 */
public final class IterationMetrics {
    /**
     * One per-iteration metric.
     *
     * @param name     its name in every sink
     * @param meaning  one line for docs and help
     * @param oldName  the metrics.csv column it had before the names were unified (still read), or null
     * @param integral whether it is a count (written without a decimal point)
     * @param value    its value in an iteration's statistics
     */
    public record Metric(String name, String meaning, String oldName, boolean integral,
                         ToDoubleFunction<IterationStats> value) {
        /** The value as metrics.csv writes it: {@link Double#toString}, or the integer for counts. */
        String text(IterationStats stats) {
            double v = value.applyAsDouble(stats);
            return integral ? Long.toString((long) v) : Double.toString(v);
        }
    }

    public static final Metric ITERATION = new Metric("iteration", "completed updates, 1-based (MLflow's step)",
            null, true, IterationStats::iteration);
    public static final Metric F_POS = new Metric("f_pos", "mean f(x+) on the noisy data batch", null, false,
            IterationStats::fPositive);
    public static final Metric F_NEG = new Metric("f_neg", "mean f(x-) on the short-run samples", null, false,
            IterationStats::fNegative);
    public static final Metric F_DIFF = new Metric("f_diff", "f(x+) - f(x-), the quantity maximised", "diff", false,
            IterationStats::difference);
    public static final Metric GRAD_NORM = new Metric("grad_norm", "mean per-sample ||df/dx|| over the chain", null,
            false, IterationStats::gradNorm);
    public static final Metric K = new Metric("K", "Langevin steps of the iteration's chains", null, true,
            IterationStats::steps);
    public static final Metric LR = new Metric("lr", "learning rate of the update", null, false, IterationStats::lr);
    public static final Metric SIGMA = new Metric("sigma", "data noise std added to x+", null, false,
            IterationStats::sigma);
    public static final Metric SECONDS_PER_ITERATION = new Metric("seconds_per_iteration",
            "wall-clock seconds of the iteration", "seconds", false, IterationStats::seconds);
    public static final Metric D_S_T = new Metric("d_s_t", "mean U(x+) - mean U(x-) (Anatomy paper)", null, false,
            IterationStats::dst);
    public static final Metric R_T = new Metric("r_t", "mean ||(eps^2/2) grad U||, the drift of a step", null, false,
            IterationStats::rt);
    public static final Metric V_T = new Metric("v_t", "mean ||grad U||", null, false, IterationStats::vt);

    /** metrics.csv's columns in order: the short-run ones first (older files have only those), then the Anatomy's. */
    public static final List<Metric> ALL = List.of(ITERATION, F_POS, F_NEG, F_DIFF, GRAD_NORM, K, LR, SIGMA,
            SECONDS_PER_ITERATION, D_S_T, R_T, V_T);
    /** Columns of metrics.csv files written before the Anatomy diagnostics (d_s_t, r_t, v_t). */
    static final int SHORT_RUN_COLUMNS = 9;

    private IterationMetrics() {
    }

    /** The metric called {@code name}, by its name or its old metrics.csv name. */
    public static Optional<Metric> named(String name) {
        return ALL.stream().filter(m -> m.name().equals(name) || name.equals(m.oldName())).findFirst();
    }

    /** What a tracker records for an iteration, at step = its iteration: every metric but the iteration. */
    public static Map<String, Double> tracked(IterationStats stats) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Metric m : ALL.subList(1, ALL.size())) {
            out.put(m.name(), m.value().applyAsDouble(stats));
        }
        return out;
    }
}
