package dev.shortrun.cli;

import ai.djl.ndarray.NDManager;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.torch.Devices;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.steps.InterpolateStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** {@code shortrun interpolate}: Figure 3, M_theta(z_rho) between pairs of latent starts. */
@Command(name = "interpolate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Interpolate with the short-run chain as a generator (short-run paper, Section 3.4, Figure 3).",
                "For pairs z1, z2 ~ p0 and rho from 1 to 0: z_rho = rho z1 + sqrt(1 - rho^2) z2, x_rho = M_theta(z_rho) "
                        + "(K deterministic Langevin steps, noise off). One strip per pair: M(z1) left, M(z2) right."})
final class InterpolateCommand extends StepCommand<InterpolateStep.Settings> {
    @Option(names = "--out", paramLabel = "FILE.png",
            description = "Picture path (default RUN/generator/interpolation-iter-N-seed<s>.png).")
    Path out;

    InterpolateCommand() {
        super(InterpolateStep.STEP, List.of(InterpolateStep.PAIRS, InterpolateStep.POINTS,
                InterpolateStep.K, InterpolateStep.SEED));
    }

    @Override
    public Integer call() {
        Path json = trained.json();
        InterpolateStep.Settings s = settings();
        Path png = out != null ? out : CheckpointOptions.runFile(json, RunDirectory.GENERATOR,
                "interpolation-" + CheckpointOptions.base(json) + "-seed" + s.seed() + ".png");
        Torch.configure(trained.threads);
        try (NDManager manager = Devices.newManager();
             CheckpointSampler sampler = new CheckpointSampler(json, manager)) {
            InterpolateStep.interpolate(sampler, s, png);
        }
        System.out.println("interpolation: " + png + String.format("  (%d pairs x %d values of rho)", s.pairs(),
                s.points()));
        return 0;
    }
}
