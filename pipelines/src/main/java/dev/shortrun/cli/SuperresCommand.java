package dev.shortrun.cli;

import ai.djl.ndarray.NDManager;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.torch.Devices;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.steps.SuperresStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** {@code shortrun superres}: Figure 8, samples from low-resolution starts. */
@Command(name = "superres", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Super-resolution with short-run MCMC (long version, Section 5.4, Figure 8): the chain starts "
                + "from a test image average-pooled to LOW x LOW and upsampled (nearest), and runs K noisy Langevin "
                + "steps; each seed gives another sample.",
                "One row per image: low-resolution start, one sample per seed, original. Best with a model trained "
                        + "from the same start (sampler.init: lowres, see pipelines/mnist-superres.yaml)."})
final class SuperresCommand extends StepCommand<SuperresStep.Settings> {
    @Option(names = "--data-dir", description = "Directory of the dataset's files (default: the checkpoint's).")
    String dataDir;

    @Option(names = "--out", paramLabel = "FILE.png",
            description = "Picture path (default RUN/generator/superres-iter-N-low<L>.png).")
    Path out;

    SuperresCommand() {
        super(SuperresStep.STEP, List.of(SuperresStep.LOW, SuperresStep.N,
                SuperresStep.SEEDS, SuperresStep.K, SuperresStep.SEED));
    }

    @Override
    public Integer call() {
        Path json = trained.json();
        SuperresStep.Settings s = settings();
        Torch.configure(trained.threads);
        try (NDManager manager = Devices.newManager();
             CheckpointSampler sampler = new CheckpointSampler(json, manager)) {
            Path png = out != null ? out : CheckpointOptions.runFile(json, RunDirectory.GENERATOR,
                    "superres-" + CheckpointOptions.base(json) + "-low" + s.low() + ".png");
            double mse = SuperresStep.superResolution(sampler, s, dataDir, png);
            System.out.printf("super-resolution: %s  (%d images from %dx%d, %d seeds; sample MSE per pixel vs the "
                    + "originals %.4f)%n", png, s.n(), s.low(), s.low(), s.seeds(), mse);
        }
        return 0;
    }
}
