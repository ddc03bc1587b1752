package dev.shortrun.cli;

import ai.djl.ndarray.NDManager;
import dev.shortrun.model.metrics.ToyDensityMaps;
import dev.shortrun.model.run.Checkpoint;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.model.run.Pictures;
import dev.shortrun.model.torch.Devices;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.steps.DensityStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code shortrun density}: the Anatomy paper's Figure 6 and its two KL numbers for a 2D toy checkpoint. */
@Command(name = "density", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Density maps of a 2D toy checkpoint (gmm, rings), as in Figure 6 of the Anatomy paper: the "
                + "true density, the learned density exp(2f/eps^2) normalised on a 200x200 grid, and a Gaussian KDE "
                + "(scipy gaussian_kde, bandwidth factor 0.1 gmm / 0.075 rings) of fresh short-run samples drawn "
                + "with the run's own sampler settings; linear on top, log10 below.",
                "Prints KL(true || learned) and KL(true || KDE) in nats on the grid (q floored at 1e-12)."})
final class DensityCommand implements Callable<Integer> {
    @Mixin
    CheckpointOptions trained;

    @Option(names = "--samples", defaultValue = "" + DensityStep.KDE_SAMPLES,
            description = "Short-run chains behind the KDE (default ${DEFAULT-VALUE}, as the paper).")
    int samples;

    @Option(names = "--seed", description = "Seed for the chains' start and noise (default: the run's seed).")
    Long seed;

    @Option(names = "--out", paramLabel = "FILE.png",
            description = "Picture path (default RUN/density/density-iter-N.png).")
    Path out;


    @Override
    public Integer call() {
        Path json = trained.json();
        if (samples < 3) {
            throw new IllegalArgumentException("--samples must be >= 3 (a 2D KDE needs a covariance), got " + samples);
        }
        Torch.configure(trained.threads);
        try (NDManager manager = Devices.newManager();
             CheckpointSampler sampler = new CheckpointSampler(json, manager)) {
            Checkpoint c = sampler.checkpoint();
            Path png = out != null ? out : DensityStep.figure(json.getParent().getParent(), c.iteration());
            int steps = c.config().langevin().kMax();
            ProgressBar bar = new ProgressBar(System.err, "density", 0, steps);
            ToyDensityMaps maps = sampler.densityMaps(samples, seed != null ? seed : c.config().seed(),
                    (k, x) -> bar.update(k, ""));
            Pictures.densityMaps(png, maps);
            System.out.println("density: " + png);
            System.out.printf(Locale.ROOT, "%s = %.4f nats   (true || learned, exp(%.4g f) on the %dx%d grid)%n",
                    DensityStep.KL_LEARNED, maps.klTrueLearned(), maps.energyScale(), maps.grid().size(),
                    maps.grid().size());
            System.out.printf(Locale.ROOT, "%s     = %.4f nats   (true || KDE of %d short-run samples, K=%d, "
                    + "bandwidth factor %.3g)%n", DensityStep.KL_KDE, maps.klTrueKde(), maps.samples(), steps,
                    maps.kdeFactor());
        }
        return 0;
    }
}
