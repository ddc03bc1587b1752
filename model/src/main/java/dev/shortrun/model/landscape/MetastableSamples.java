package dev.shortrun.model.landscape;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.data.PositiveSource;
import dev.shortrun.model.nets.Energy;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.model.sampling.LangevinConfig;
import dev.shortrun.model.sampling.LangevinSampler;
import dev.shortrun.model.sampling.Temperature;
import dev.shortrun.model.torch.Autograd;
import dev.shortrun.model.torch.RandomTensors;

import java.util.Arrays;

/**
 * The states a landscape mapping sorts into basins: long-run chains of the run's own Langevin step at its training
 * temperature ("we first identify many metastable MCMC samples", Anatomy paper Sec. 4.4), started from its p0 noise
 * and/or its data, then quenched by noise-free steps (gradient descent on U) so that each sits at a local minimum.
 *
 * @param states       each state flattened
 * @param energies     U = -f/T of each state
 * @param exampleShape one state's shape, e.g. (1, 32, 32) or (2)
 * @param fromData     how many states (the last ones) started from data rather than noise
 */
record MetastableSamples(float[][] states, double[] energies, long[] exampleShape, int fromData) {

    /** Draws the samples in chains of at most {@code settings.batch()}, phase by phase. */
    static MetastableSamples draw(CheckpointSampler sampler, LandscapeSettings settings, RandomTensors random,
                                  NDManager manager, LandscapeMapping.Listener listener) {
        int n = settings.samples();
        int data = switch (settings.from()) {
            case NOISE -> 0;
            case DATA -> n;
            case BOTH -> n / 2;
        };
        LangevinConfig training = sampler.config().langevin();
        Temperature temperature = Temperature.ofTraining(training);
        PositiveSource source = sampler.config().data().open(); // images are read once
        long[] shape = source.exampleShape();
        float[][] states = new float[n][];
        double[] energies = new double[n];
        int chunk = Math.max(1, Math.min(settings.batch(), n));
        int chunks = (n + chunk - 1) / chunk;
        float[][] settled = new float[chunks][];
        for (int c = 0; c < chunks; c++) { // phase by phase, so that each phase has one progress bar
            int from = c * chunk, to = Math.min(n, from + chunk);
            try (NDManager scope = manager.newSubManager()) {
                NDArray start = starts(sampler, source, from, to, n - data, scope, random);
                settled[c] = run(sampler.net(), training, start, settings.chainSteps(), true, random, listener,
                        "long-run chains", c, chunks).toFloatArray();
            }
        }
        for (int c = 0; c < chunks; c++) {
            int from = c * chunk, to = Math.min(n, from + chunk);
            try (NDManager scope = manager.newSubManager()) {
                NDArray start = scope.create(settled[c], batchShape(shape, to - from));
                NDArray quenched = run(sampler.net(), training, start, settings.quenchSteps(), false, random,
                        listener, "quench", c, chunks);
                float[] x = quenched.toFloatArray();
                float[] f = forward(sampler.net(), quenched);
                int per = x.length / (to - from);
                for (int i = from; i < to; i++) {
                    states[i] = Arrays.copyOfRange(x, (i - from) * per, (i - from + 1) * per);
                    energies[i] = temperature.energy(f[i - from]);
                }
            }
        }
        return new MetastableSamples(states, energies, shape, data);
    }

    private static Shape batchShape(long[] example, int n) {
        long[] dims = new long[example.length + 1];
        dims[0] = n;
        System.arraycopy(example, 0, dims, 1, example.length);
        return new Shape(dims);
    }

    /** Chains from..to of all: the first {@code noise} start from p0 noise, the rest from data examples. */
    private static NDArray starts(CheckpointSampler sampler, PositiveSource source, int from, int to, int noise,
                                  NDManager scope, RandomTensors random) {
        int fromNoise = Math.max(0, Math.min(to, noise) - from);
        int fromData = (to - from) - fromNoise;
        NDArray a = fromNoise > 0 ? sampler.drawStart(fromNoise, random) : null;
        NDArray b = fromData > 0 ? source.batch(scope, fromData, random.rng()) : null;
        NDArray start = a == null ? b : b == null ? a : a.concat(b, 0);
        start.attach(scope);
        return start;
    }

    private static NDArray run(Energy net, LangevinConfig training, NDArray start, int steps, boolean noise,
                               RandomTensors random, LandscapeMapping.Listener listener, String phase, int chunk,
                               int chunks) {
        if (steps == 0) {
            return start;
        }
        LangevinConfig chain = new LangevinConfig(training.stepSize(), training.noiseStd(), steps, steps);
        int total = Math.multiplyExact(steps, chunks);
        LangevinSampler.StepListener progress = listener == null ? null
                : (k, x) -> listener.update(phase, chunk * steps + k, total);
        return new LangevinSampler(chain).run(net, start, steps, random, noise, progress).samples();
    }

    /** f of a batch without building a graph (grad mode on only to avoid DJL's inference-guard warning). */
    private static float[] forward(Energy net, NDArray x) {
        return Autograd.recording(() -> net.forward(x).stopGradient().toFloatArray());
    }
}
