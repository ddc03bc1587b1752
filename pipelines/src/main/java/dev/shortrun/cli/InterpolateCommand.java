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

/** {@code shortrun interpolate}: Figure 3, M_theta(z_rho) between pairs of latent starts. */
@Command(name = "interpolate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Interpolate with the short-run chain as a generator (short-run paper, Section 3.4, Figure 3).",
                "For pairs z1, z2 ~ p0 and rho from 1 to 0: z_rho = rho z1 + sqrt(1 - rho^2) z2, x_rho = M_theta(z_rho) "
                        + "(K deterministic Langevin steps, noise off). One strip per pair: M(z1) left, M(z2) right."})
final class InterpolateCommand implements Callable<Integer> {
    @Mixin
    CheckpointOptions trained;

    @Option(names = "--pairs", defaultValue = "8", description = "Strips (pairs z1, z2) (default ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--points", defaultValue = "10",
            description = "Values of rho per strip, evenly spaced in [0, 1] (default ${DEFAULT-VALUE}).")
    int points;

    @Option(names = {"--K", "-K"}, description = "Langevin steps of M_theta (default: the training K, or K_max).")
    Integer k;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for z1, z2 (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "FILE.png",
            description = "Picture path (default RUN/generator/interpolation-iter-N-seed<s>.png).")
    Path out;


    @Override
    public Integer call() {
        Path json = trained.json();
        Path png = out != null ? out : CheckpointOptions.runFile(json, RunDirectory.GENERATOR,
                "interpolation-" + CheckpointOptions.base(json) + "-seed" + seed + ".png");
        Torch.configure(trained.threads);
        try (NDManager manager = NDManager.newBaseManager();
             CheckpointSampler sampler = new CheckpointSampler(json, manager)) {
            GeneratorTasks.interpolation(sampler, png, pairs, points, k == null ? 0 : k, seed);
        }
        System.out.println("interpolation: " + png + String.format("  (%d pairs x %d values of rho)", pairs, points));
        return 0;
    }
}
