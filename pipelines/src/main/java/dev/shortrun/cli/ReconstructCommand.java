package dev.shortrun.cli;

import ai.djl.ndarray.NDManager;
import dev.shortrun.model.generator.GeneratorTasks;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.steps.ReconstructStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code shortrun reconstruct}: Figure 4 and Table 1b, reconstruction of held-out examples. */
@Command(name = "reconstruct", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reconstruct held-out test examples with the short-run chain (Sections 3.4, 5.3; Figure 4, "
                + "Table 1b): gradient descent z <- z - lr dL/dz on L(z) = ||x - M_theta(z)||^2 from z_0 ~ p0, with "
                + "the exact gradient through all K steps (reverse pass with Hessian-vector products).",
                "Prints the MSE per pixel (pixels in [-1, 1]; divide by 4 for [0, 1]) and that of the mean training "
                        + "image as a baseline, and writes the transition over GD steps."})
final class ReconstructCommand implements Callable<Integer>, SettingFlags.Holder {
    @Mixin
    CheckpointOptions trained;

    private final SettingFlags flags = new SettingFlags(List.of(ReconstructStep.N, ReconstructStep.STEPS,
            ReconstructStep.LR, ReconstructStep.BATCH, ReconstructStep.K, ReconstructStep.SEED));

    @Option(names = "--data-dir", description = "Directory of the dataset's files (default: the checkpoint's).")
    String dataDir;

    @Option(names = "--out", paramLabel = "FILE.png",
            description = "Transition picture (default RUN/generator/reconstruction-iter-N.png).")
    Path out;

    @Override
    public SettingFlags settingFlags() {
        return flags;
    }

    @Override
    public Integer call() {
        Path json = trained.json();
        ReconstructStep.Settings s = trained.stepSettings(ReconstructStep.STEP, flags);
        Path png = out != null ? out : CheckpointOptions.runFile(json, RunDirectory.GENERATOR,
                "reconstruction-" + CheckpointOptions.base(json) + ".png");
        Torch.configure(trained.threads);
        GeneratorTasks.ReconstructionResult result;
        try (NDManager manager = NDManager.newBaseManager();
             CheckpointSampler sampler = new CheckpointSampler(json, manager)) {
            ProgressBar bar = new ProgressBar(System.err, "reconstruct", 0,
                    (long) s.steps() * ((s.n() + s.batch() - 1) / s.batch()));
            result = ReconstructStep.reconstruct(sampler, s, dataDir, png,
                    (done, total, loss) -> bar.update(done, String.format("MSE/pixel %.4f", loss)));
        }
        var r = result.report();
        System.out.printf("reconstruction MSE per pixel: %.5f on %d held-out examples after %d GD steps (lr %s)%n",
                r.mse(), r.count(), s.steps(), s.lr());
        System.out.printf("baseline (mean training image): %.5f%n", result.baselineMse());
        System.out.printf("time per GD step: %.3f s per batch of %d (%.2f ms per example)%n", r.secondsPerStep(),
                r.batch(), 1000 * r.secondsPerStep() / r.batch());
        System.out.println("transition: " + png);
        return 0;
    }
}
