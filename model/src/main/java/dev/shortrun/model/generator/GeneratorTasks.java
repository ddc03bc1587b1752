package dev.shortrun.model.generator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.data.DataConfig;
import dev.shortrun.model.data.ImageDataset;
import dev.shortrun.model.data.ImageSource;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.model.torch.Devices;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.util.Rng;

import java.nio.file.Path;

/**
 * The generator experiments on a saved checkpoint, shared by the CLI commands and the pipeline steps: interpolation
 * (Figure 3), held-out reconstruction (Figure 4, Table 1b) and super-resolution (Figure 8).
 */
public final class GeneratorTasks {
    private GeneratorTasks() {
    }

    /** M_theta with the checkpoint's net and Langevin settings, run for {@code k} steps (0 is the identity). */
    public static ShortRunGenerator generator(CheckpointSampler sampler, int k) {
        return new ShortRunGenerator(sampler.net(), sampler.config().langevin(), k);
    }

    /** M_theta as trained: the checkpoint's net run for the training K (K_max when K is drawn per iteration). */
    public static ShortRunGenerator trainedGenerator(CheckpointSampler sampler) {
        return generator(sampler, sampler.config().langevin().trainingK());
    }

    /** Figure 3: {@code pairs} strips of {@code points} images, z1 and z2 drawn from p0 with {@code seed}. */
    public static void interpolation(CheckpointSampler sampler, Path png, int pairs, int points, int k, long seed) {
        requireImages(sampler.config(), "interpolation");
        if (pairs < 1) {
            throw new IllegalArgumentException("interpolation needs at least 1 pair, got " + pairs);
        }
        RandomTensors random = new RandomTensors(new Rng(seed));
        try (NDManager scope = Devices.newManager()) {
            NDArray z1 = sampler.drawStart(pairs, random);
            NDArray z2 = sampler.drawStart(pairs, random);
            z1.attach(scope);
            z2.attach(scope);
            Interpolation.figure(png, generator(sampler, k), z1, z2, points);
        }
    }

    /**
     * The held-out reconstruction result and its baseline.
     *
     * @param baselineMse MSE per pixel of the mean training image against the same examples
     */
    public record ReconstructionResult(HeldOutReconstruction.Report report, double baselineMse) {
    }

    /**
     * Table 1b: the first {@code n} test examples of the checkpoint's dataset (read from {@code dataDir}, or the
     * checkpoint's own directory when null), reconstructed by {@code steps} descent steps each under {@code rule}.
     */
    public static ReconstructionResult reconstruct(CheckpointSampler sampler, String dataDir, int n, int steps,
                                                   DescentRule rule, int batch, int k, long seed, Path transitionPng,
                                                   HeldOutReconstruction.Progress progress) {
        TrainConfig config = sampler.config();
        requireImages(config, "reconstruction");
        if (n < 1 || steps < 0 || batch < 1) {
            throw new IllegalArgumentException("need n >= 1, steps >= 0 and batch >= 1, got n=" + n + ", steps="
                    + steps + ", batch=" + batch);
        }
        ShortRunGenerator generator = generator(sampler, k);
        try (NDManager scope = Devices.newManager()) {
            NDArray examples = images(config.data(), dataDir, "test", n).first(scope, n);
            NDArray mean = meanImage(images(config.data(), dataDir, "train", 0).data(), scope);
            double baseline = HeldOutReconstruction.meanImageMse(mean, examples);
            RandomTensors random = new RandomTensors(new Rng(seed));
            HeldOutReconstruction.Report report = HeldOutReconstruction.run(new Reconstruction(generator, rule, null),
                    config.learner().init(), examples, batch, steps, random, transitionPng, 8, progress);
            return new ReconstructionResult(report, baseline);
        }
    }

    /** Figure 8: the first {@code n} test images from their {@code lowSize} versions, {@code seeds} samples each. */
    public static double superResolution(CheckpointSampler sampler, String dataDir, Path png, int n, int lowSize,
                                         int seeds, int k, long seed) {
        TrainConfig config = sampler.config();
        requireImages(config, "super-resolution");
        try (NDManager scope = Devices.newManager()) {
            NDArray examples = images(config.data(), dataDir, "test", n).first(scope, n);
            return SuperResolution.figure(png, generator(sampler, k), examples, lowSize, seeds, seed);
        }
    }

    private static ImageSource images(DataConfig data, String dataDir, String split, int cap) {
        String dir = dataDir != null ? dataDir : data.dir();
        return (ImageSource) new DataConfig(data.dataset(), dir, split, data.imageSize(), cap, data.cacheDir())
                .open();
    }

    private static NDArray meanImage(ImageDataset data, NDManager manager) {
        int dim = data.dim();
        double[] sum = new double[dim];
        float[] pixels = data.pixels();
        for (int i = 0; i < data.count(); i++) {
            for (int j = 0; j < dim; j++) {
                sum[j] += pixels[i * dim + j];
            }
        }
        float[] mean = new float[dim];
        for (int j = 0; j < dim; j++) {
            mean[j] = (float) (sum[j] / data.count());
        }
        return manager.create(mean, new Shape(data.channels(), data.height(), data.width()));
    }

    private static void requireImages(TrainConfig config, String what) {
        if (config.data().isToy()) {
            throw new IllegalArgumentException(what + " works on image models; " + config.data().dataset()
                    + " is a 2D toy");
        }
    }
}
