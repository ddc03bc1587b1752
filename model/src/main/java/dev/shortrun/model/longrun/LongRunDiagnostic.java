package dev.shortrun.model.longrun;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.nets.Energy;
import dev.shortrun.model.nets.Parameters;
import dev.shortrun.model.sampling.LangevinConfig;
import dev.shortrun.model.sampling.LangevinSampler;
import dev.shortrun.model.sampling.MalaSampler;
import dev.shortrun.model.sampling.Temperature;
import dev.shortrun.model.torch.Autograd;
import dev.shortrun.model.torch.Precision;
import dev.shortrun.model.torch.RandomTensors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Long chains on a learned energy (Anatomy paper, Sec. 3.2 and Fig. 2): chains from noise and from data run L steps
 * of plain or Metropolis-adjusted Langevin; at log-spaced steps each group's energy U = -f/T, input-gradient norm
 * and saturated-pixel fraction are recorded, and a few chains are kept as snapshots. The data's energy band and the
 * {@link Verdict} say whether the chains stayed with the data.
 */
public final class LongRunDiagnostic {
    /** Pixels beyond this magnitude count as saturated (images live in [-1, 1]). */
    public static final double SATURATED = 0.99;
    /** Examples whose energies make the data band. */
    public static final int DATA_BAND_SIZE = 500;

    private final Energy energy;
    private final Temperature temperature;
    private final LangevinConfig training;

    /**
     * @param training the chain the model was trained with: plain Langevin without an explicit eps continues it
     */
    public LongRunDiagnostic(Energy energy, Temperature temperature, LangevinConfig training) {
        this.energy = energy;
        this.temperature = temperature;
        this.training = training;
    }

    /** The report and, per group, the first {@code shown} chains at each recorded step (for the figure). */
    public record Result(LongRunReport report, List<Integer> recordedSteps, List<Tensor> noiseSnapshots,
                         List<Tensor> dataSnapshots) {
    }

    /** Told after every chain step (k = 1..L), for progress bars. */
    @FunctionalInterface
    public interface Progress {
        void onStep(int k, int total);
    }

    /** The eps the chains will use: the given one, or the training chain's noise (the paper's eps = n). */
    public double effectiveEps(LongRunSettings settings) {
        if (settings.eps() != null) {
            return settings.eps();
        }
        if (training.noiseStd() > 0) {
            return training.noiseStd();
        }
        if (settings.sampler() == LongRunSettings.Sampler.MALA) {
            throw new IllegalArgumentException("the model was trained without Langevin noise, so MALA needs an "
                    + "explicit eps (the paper evaluates with 2e-3)");
        }
        return 0.0; // noise-free training chain, continued as it was
    }

    /**
     * @param noiseStart chains from p0 (null when not run)
     * @param dataStart  chains from data (null when not run)
     * @param dataBatch  examples whose energies make the data band (images (N, C, H, W) or points (N, 2))
     */
    public Result run(NDArray noiseStart, NDArray dataStart, NDArray dataBatch, LongRunSettings settings,
                      RandomTensors random, int shown, Progress progress, String checkpoint, long iteration) {
        if (noiseStart == null && dataStart == null) {
            throw new IllegalArgumentException("a long run needs chains from noise, from data, or both");
        }
        Autograd.stopRecording(); // the samplers switch the weights' gradients off
        LongRunReport.DataBand band = dataBand(dataBatch);
        int nNoise = noiseStart == null ? 0 : (int) noiseStart.getShape().get(0);
        int nData = dataStart == null ? 0 : (int) dataStart.getShape().get(0);
        NDArray start = nNoise == 0 ? dataStart : nData == 0 ? noiseStart : NDArrays.concat(
                new ai.djl.ndarray.NDList(noiseStart, dataStart), 0);
        Recorder recorder = new Recorder(nNoise, nData, Math.min(shown, Math.max(nNoise, nData)),
                LogSteps.upTo(settings.steps()));
        recorder.record(0, start);
        LangevinSampler.StepListener listener = (k, x) -> {
            recorder.maybeRecord(k, x);
            if (progress != null) {
                progress.onStep(k, settings.steps());
            }
        };
        double eps = effectiveEps(settings);
        Precision precision = settings.precision() != null ? settings.precision() : training.chainPrecision();
        long t0 = System.nanoTime();
        double acceptance = Double.NaN;
        if (settings.sampler() == LongRunSettings.Sampler.MALA) {
            acceptance = new MalaSampler(eps, temperature, precision).run(energy, start,
                    settings.steps(), random, listener).acceptanceRate();
        } else {
            LangevinConfig chain = (settings.eps() == null ? new LangevinConfig(training.stepSize(),
                    training.noiseStd(), settings.steps(), settings.steps())
                    : temperature.langevinAt(eps, settings.steps())).withPrecision(precision);
            new LangevinSampler(chain).run(energy, start, settings.steps(), random, true, listener);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, LongRunReport.Point> finals = new LinkedHashMap<>();
        if (nNoise > 0) {
            finals.put("noise", recorder.noise.get(recorder.noise.size() - 1));
        }
        if (nData > 0) {
            finals.put("data", recorder.data.get(recorder.data.size() - 1));
        }
        Verdict verdict = Verdict.judge(band, finals, acceptance);
        LongRunReport report = new LongRunReport(checkpoint, iteration,
                settings.sampler().name().toLowerCase(java.util.Locale.ROOT), precision.settingName(), eps,
                temperature.value(), settings.steps(), Math.max(nNoise, nData), settings.steps() / seconds,
                acceptance, band, recorder.noise, recorder.data, verdict);
        return new Result(report, recorder.recorded, recorder.noiseShots, recorder.dataShots);
    }

    /** U over the data batch, in chunks so a large batch never needs one huge forward pass. */
    LongRunReport.DataBand dataBand(NDArray data) {
        int n = (int) data.getShape().get(0);
        double[] u = new double[n];
        double saturated = 0;
        int chunk = 100;
        for (int i = 0; i < n; i += chunk) {
            try (NDManager m = data.getManager().newSubManager()) {
                NDArray part = data.get(i + ":" + Math.min(n, i + chunk));
                part.attach(m);
                float[] f = energy.forward(part).toFloatArray();
                for (int j = 0; j < f.length; j++) {
                    u[i + j] = temperature.energy(f[j]);
                }
                if (isImage(part)) {
                    saturated += Arrays.stream(toDouble(saturation(part))).sum();
                }
            }
        }
        double[] sorted = u.clone();
        Arrays.sort(sorted);
        return new LongRunReport.DataBand(n, quantile(sorted, 0.05), quantile(sorted, 0.5), quantile(sorted, 0.95),
                isImage(data) ? saturated / n : Double.NaN);
    }

    private static boolean isImage(NDArray x) {
        return x.getShape().dimension() == 4;
    }

    /** Per example: fraction of entries with |x| > {@link #SATURATED}. */
    private static float[] saturation(NDArray x) {
        return x.abs().gt(SATURATED).toType(DataType.FLOAT32, false).reshape(x.getShape().get(0), -1)
                .mean(new int[] {1}).toFloatArray();
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /** Linear interpolation between order statistics (numpy's default). */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Measures the chains at the recorded steps; keeps the first chains of each group as pictures. */
    private final class Recorder {
        final int nNoise;
        final int nData;
        final int shown;
        final List<Integer> steps;
        final List<Integer> recorded = new ArrayList<>();
        final List<LongRunReport.Point> noise = new ArrayList<>();
        final List<LongRunReport.Point> data = new ArrayList<>();
        final List<Tensor> noiseShots = new ArrayList<>();
        final List<Tensor> dataShots = new ArrayList<>();

        Recorder(int nNoise, int nData, int shown, List<Integer> steps) {
            this.nNoise = nNoise;
            this.nData = nData;
            this.shown = shown;
            this.steps = steps;
        }

        void maybeRecord(int k, NDArray x) {
            if (steps.contains(k)) {
                record(k, x);
            }
        }

        void record(int k, NDArray x) {
            try (NDManager m = x.getManager().newSubManager()) {
                NDArray copy = x.duplicate();
                copy.attach(m);
                float[] f = energy.forward(copy).toFloatArray();
                float[] norms = LangevinSampler.perSampleNorm(LangevinSampler.inputGradient(energy, copy))
                        .toFloatArray();
                float[] sat = isImage(copy) ? saturation(copy) : null;
                recorded.add(k);
                if (nNoise > 0) {
                    noise.add(point(k, f, norms, sat, 0, nNoise));
                    noiseShots.add(Parameters.toTensor(copy.get("0:" + Math.min(shown, nNoise))));
                }
                if (nData > 0) {
                    data.add(point(k, f, norms, sat, nNoise, nNoise + nData));
                    dataShots.add(Parameters.toTensor(copy.get(nNoise + ":" + (nNoise + Math.min(shown, nData)))));
                }
            }
        }

        private LongRunReport.Point point(int k, float[] f, float[] norms, float[] sat, int from, int to) {
            double[] u = new double[to - from];
            double uSum = 0;
            double normSum = 0;
            double satSum = 0;
            for (int i = from; i < to; i++) {
                u[i - from] = temperature.energy(f[i]);
                uSum += u[i - from];
                normSum += norms[i];
                satSum += sat == null ? 0 : sat[i];
            }
            Arrays.sort(u);
            int n = to - from;
            return new LongRunReport.Point(k, quantile(u, 0.5), uSum / n, normSum / n,
                    sat == null ? Double.NaN : satSum / n);
        }
    }
}
