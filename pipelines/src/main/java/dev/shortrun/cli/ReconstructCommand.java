package dev.shortrun.cli;

import ai.djl.ndarray.NDManager;
import dev.shortrun.model.generator.GeneratorTasks;
import dev.shortrun.model.generator.HeldOutReconstruction;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.torch.Devices;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.steps.ReconstructStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** {@code shortrun reconstruct}: Figure 4 and Table 1b, reconstruction of held-out examples. */
@Command(name = "reconstruct", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reconstruct held-out test examples with the short-run chain (Sections 3.4, 5.3; Figure 4, "
                + "Table 1b): descent z <- z - eta dL/dz on L(z) = ||x - M_theta(z)||^2 from z_0 ~ p0, with the exact "
                + "gradient through all K steps (reverse pass with Hessian-vector products), eta chosen by --rule.",
                "Prints the MSE per pixel (pixels in [-1, 1]; divide by 4 for [0, 1]) and that of the mean training "
                        + "image as a baseline, and writes the transition over the descent steps. The progress line "
                        + "shows the current batch's MSE per pixel."})
final class ReconstructCommand extends StepCommand<ReconstructStep.Settings> {
    @Option(names = "--data-dir", description = "Directory of the dataset's files (default: the checkpoint's).")
    String dataDir;

    @Option(names = "--out", paramLabel = "FILE.png",
            description = "Transition picture (default RUN/generator/reconstruction-iter-N.png).")
    Path out;

    ReconstructCommand() {
        super(ReconstructStep.STEP, List.of(ReconstructStep.N, ReconstructStep.STEPS, ReconstructStep.RULE,
                ReconstructStep.LR, ReconstructStep.GROWTH, ReconstructStep.BATCH, ReconstructStep.K,
                ReconstructStep.SEED));
    }

    @Override
    public Integer call() {
        Path json = trained.json();
        ReconstructStep.Settings s = settings();
        Path png = out != null ? out : CheckpointOptions.runFile(json, RunDirectory.GENERATOR,
                "reconstruction-" + CheckpointOptions.base(json) + ".png");
        Torch.configure(trained.threads);
        GeneratorTasks.ReconstructionResult result;
        try (NDManager manager = Devices.newManager();
             CheckpointSampler sampler = new CheckpointSampler(json, manager)) {
            ProgressBar bar = new ProgressBar(System.err, "reconstruct", 0,
                    (long) s.steps() * ((s.n() + s.batch() - 1) / s.batch()));
            result = ReconstructStep.reconstruct(sampler, s, dataDir, png,
                    (done, total, b, batches, mse) -> bar.update(done,
                            String.format("batch %d/%d MSE/pixel %.4f", b, batches, mse)));
        }
        var r = result.report();
        System.out.printf("reconstruction MSE per pixel: %.5f on %d held-out examples after %d steps (%s; %.5f at "
                + "z_0; %.0f%% of tried steps taken)%n", r.mse(), r.count(), s.steps(), r.rule(), r.startMse(),
                100 * r.keptFraction());
        System.out.printf("baseline (mean training image): %.5f%n", result.baselineMse());
        StringBuilder curve = new StringBuilder("MSE per pixel by step:");
        for (int t : HeldOutReconstruction.shownSteps(s.steps())) {
            curve.append(String.format(" %d: %.4f", t, r.curve()[t]));
        }
        System.out.println(curve);
        System.out.printf("time per descent step: %.3f s per batch of %d (%.2f ms per example)%n", r.secondsPerStep(),
                r.batch(), 1000 * r.secondsPerStep() / r.batch());
        System.out.println("transition: " + png);
        return 0;
    }
}
