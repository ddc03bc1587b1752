package dev.shortrun.cli;

import ai.djl.ndarray.NDManager;
import dev.shortrun.model.generator.GeneratorTasks;
import dev.shortrun.model.generator.Reconstruction;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.torch.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code shortrun reconstruct}: Figure 4 and Table 1b, reconstruction of held-out examples. */
@Command(name = "reconstruct", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reconstruct held-out test examples with the short-run chain (Sections 3.4, 5.3; Figure 4, "
                + "Table 1b): gradient descent z <- z - lr dL/dz on L(z) = ||x - M_theta(z)||^2 from z_0 ~ p0, with "
                + "the exact gradient through all K steps (reverse pass with Hessian-vector products).",
                "Prints the MSE per pixel (pixels in [-1, 1]; divide by 4 for [0, 1]) and that of the mean training "
                        + "image as a baseline, and writes the transition over GD steps."})
final class ReconstructCommand implements Callable<Integer> {
    @Mixin
    CheckpointOptions trained;

    @Option(names = "--data-dir", description = "Directory of the dataset's files (default: the checkpoint's).")
    String dataDir;

    @Option(names = {"-n", "--n"}, defaultValue = "1000",
            description = "Held-out examples: the first N of the test split (default ${DEFAULT-VALUE}, as Table 1b).")
    int n;

    @Option(names = "--steps", defaultValue = "200", description = "GD steps per example (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--lr", defaultValue = "" + Reconstruction.DEFAULT_LR,
            description = "GD step size on z (default ${DEFAULT-VALUE}; the paper leaves it open).")
    double lr;

    @Option(names = "--batch", defaultValue = "100", description = "Examples reconstructed at once "
            + "(default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = {"--K", "-K"}, description = "Langevin steps of M_theta (default: the training K, or K_max).")
    Integer k;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for z_0 ~ p0 (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "FILE.png",
            description = "Transition picture (default RUN/generator/reconstruction-iter-N.png).")
    Path out;


    @Override
    public Integer call() {
        Path json = trained.json();
        Path png = out != null ? out : CheckpointOptions.runFile(json, RunDirectory.GENERATOR,
                "reconstruction-" + CheckpointOptions.base(json) + ".png");
        Torch.configure(trained.threads);
        GeneratorTasks.ReconstructionResult result;
        try (NDManager manager = NDManager.newBaseManager();
             CheckpointSampler sampler = new CheckpointSampler(json, manager)) {
            ProgressBar bar = new ProgressBar(System.err, "reconstruct", 0, (long) steps * ((n + batch - 1) / batch));
            result = GeneratorTasks.reconstruct(sampler, dataDir, n, steps, lr, batch, k == null ? 0 : k, seed, png,
                    (done, total, loss) -> bar.update(done, String.format("MSE/pixel %.4f", loss)));
        }
        var r = result.report();
        System.out.printf("reconstruction MSE per pixel: %.5f on %d held-out examples after %d GD steps (lr %s)%n",
                r.mse(), r.count(), steps, lr);
        System.out.printf("baseline (mean training image): %.5f%n", result.baselineMse());
        System.out.printf("time per GD step: %.3f s per batch of %d (%.2f ms per example)%n", r.secondsPerStep(),
                r.batch(), 1000 * r.secondsPerStep() / r.batch());
        System.out.println("transition: " + png);
        return 0;
    }
}
