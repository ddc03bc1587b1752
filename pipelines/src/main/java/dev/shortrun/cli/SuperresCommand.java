package dev.shortrun.cli;

import ai.djl.ndarray.NDManager;
import dev.shortrun.model.generator.GeneratorTasks;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.torch.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code shortrun superres}: Figure 8, samples from low-resolution starts. */
@Command(name = "superres", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Super-resolution with short-run MCMC (long version, Section 5.4, Figure 8): the chain starts "
                + "from a test image average-pooled to LOW x LOW and upsampled (nearest), and runs K noisy Langevin "
                + "steps; each seed gives another sample.",
                "One row per image: low-resolution start, one sample per seed, original. Best with a model trained "
                        + "from the same start (sampler.init: lowres, see pipelines/mnist-superres.yaml)."})
final class SuperresCommand implements Callable<Integer> {
    @Mixin
    CheckpointOptions trained;

    @Option(names = "--data-dir", description = "Directory of the dataset's files (default: the checkpoint's).")
    String dataDir;

    @Option(names = "--low", description = "Low resolution side (4, 8, 16; must divide the image size; default: the "
            + "checkpoint's sampler.lowres_size, else 8).")
    Integer low;

    @Option(names = "--seeds", defaultValue = "4", description = "Samples per image (default ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = {"-n", "--n"}, defaultValue = "8", description = "Test images, one row each "
            + "(default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = {"--K", "-K"}, description = "Langevin steps (default: the training K, or K_max).")
    Integer k;

    @Option(names = "--seed", defaultValue = "1", description = "First seed of the Langevin noise "
            + "(default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "FILE.png",
            description = "Picture path (default RUN/generator/superres-iter-N-low<L>.png).")
    Path out;


    @Override
    public Integer call() {
        Path json = trained.json();
        if (n < 1 || seeds < 1) {
            throw new IllegalArgumentException("--n and --seeds must be >= 1, got " + n + " and " + seeds);
        }
        Torch.configure(trained.threads);
        try (NDManager manager = NDManager.newBaseManager();
             CheckpointSampler sampler = new CheckpointSampler(json, manager)) {
            int trained = sampler.config().learner().init().lowresSize();
            int size = low != null ? low : trained > 0 ? trained : 8;
            Path png = out != null ? out : CheckpointOptions.runFile(json, RunDirectory.GENERATOR,
                    "superres-" + CheckpointOptions.base(json) + "-low" + size + ".png");
            double mse = GeneratorTasks.superResolution(sampler, dataDir, png, n, size, seeds, k == null ? 0 : k, seed);
            System.out.printf("super-resolution: %s  (%d images from %dx%d, %d seeds; sample MSE per pixel vs the "
                    + "originals %.4f)%n", png, n, size, size, seeds, mse);
        }
        return 0;
    }
}
