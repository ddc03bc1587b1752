package dev.shortrun.model.longrun;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The numbers of one long-run diagnosis: the data's energy band, each chain group's trace at log-spaced steps, and
 * the verdict. Energies are the Anatomy paper's U = -f/T (lower = more likely), T the training chain's temperature.
 *
 * @param sampler        plain or mala
 * @param precision      fp32 or bf16: the arithmetic of grad f inside the chains
 * @param eps            the paper's step eps the chains used
 * @param temperature    T in U = -f/T
 * @param steps          chain length L
 * @param chains         chains per start
 * @param stepsPerSecond chain steps per wall-clock second (all chains advance together)
 * @param acceptanceRate MALA's fraction of accepted proposals over all chains and steps; NaN for plain Langevin
 * @param noise          trace of the chains from p0 noise (empty when not run)
 * @param fromData       trace of the chains from data (empty when not run)
 */
public record LongRunReport(String checkpoint, long iteration, String sampler, String precision, double eps,
                            double temperature, int steps, int chains, double stepsPerSecond, double acceptanceRate,
                            DataBand data, List<Point> noise, List<Point> fromData, Verdict verdict) {

    /**
     * U over a batch of data.
     *
     * @param saturation fraction of data pixels with |x| > 0.99 (NaN for 2D toys)
     */
    public record DataBand(int count, double q05, double median, double q95, double saturation) {
        /** q95 - q05, never zero (a constant energy still gets a tiny positive width). */
        public double width() {
            double w = q95 - q05;
            return w > 0 ? w : Math.max(1e-12, 1e-9 * Math.abs(median));
        }
    }

    /**
     * A chain group after {@code step} steps: median and mean of U over its chains, mean per-chain ||grad f|| and
     * mean saturated-pixel fraction (NaN for 2D toys).
     */
    public record Point(int step, double medianEnergy, double meanEnergy, double gradNorm, double saturation) {
    }

    public LongRunReport {
        noise = List.copyOf(noise);
        fromData = List.copyOf(fromData);
    }

    /** The same report judged again (e.g. with the 2D toys' stationary-density criterion). */
    public LongRunReport withVerdict(Verdict judged) {
        return new LongRunReport(checkpoint, iteration, sampler, precision, eps, temperature, steps, chains,
                stepsPerSecond, acceptanceRate, data, noise, fromData, judged);
    }

    /** Flat numbers for a tracker: {@code longrun_<what>}. */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("longrun_convergent", verdict.convergent() ? 1.0 : 0.0);
        m.put("longrun_band_widths_below", verdict.bandWidthsBelow());
        m.put("longrun_data_energy_q05", data.q05());
        m.put("longrun_data_energy_median", data.median());
        m.put("longrun_data_energy_q95", data.q95());
        m.put("longrun_steps", (double) steps);
        m.put("longrun_steps_per_second", stepsPerSecond);
        m.put("longrun_eps", eps);
        if (!Double.isNaN(acceptanceRate)) {
            m.put("longrun_acceptance", acceptanceRate);
        }
        if (!Double.isNaN(data.saturation())) {
            m.put("longrun_data_saturation", data.saturation());
        }
        m.put("longrun_stationary_kl", verdict.stationaryKl()); // 2D toys only (NaN, dropped below, for images)
        put(m, "noise", noise);
        put(m, "data", fromData);
        m.values().removeIf(v -> !Double.isFinite(v)); // trackers reject NaN; the report JSON keeps them
        return m;
    }

    private static void put(Map<String, Double> m, String group, List<Point> trace) {
        if (trace.isEmpty()) {
            return;
        }
        Point last = trace.get(trace.size() - 1);
        m.put("longrun_" + group + "_energy_median", last.medianEnergy());
        m.put("longrun_" + group + "_energy_mean", last.meanEnergy());
        m.put("longrun_" + group + "_grad_norm", last.gradNorm());
        if (!Double.isNaN(last.saturation())) {
            m.put("longrun_" + group + "_saturation", last.saturation());
        }
    }
}
