package dev.shortrun.cli;

import dev.shortrun.model.landscape.Landscape;
import dev.shortrun.model.landscape.LandscapeMapping;
import dev.shortrun.model.landscape.LandscapeSettings;
import dev.shortrun.model.torch.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code shortrun landscape}: basins, barriers and the disconnectivity tree of a checkpoint's energy (Figure 9). */
@Command(name = "landscape", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Maps the energy landscape of a checkpoint as in the Anatomy paper (Sec. 4.4, Figure 9), "
                + "after Hill, Nijkamp and Zhu (2019): metastable samples from long-run chains at the training "
                + "temperature T (U = -f/T), quenched to local minima, sorted by energy and grouped into basins by "
                + "attraction-diffusion (AD): Langevin chains on U + alpha ||x - x*|| at a fraction tau of T, pulled "
                + "towards a basin's minimum x*; a sample joins the basin a chain reaches (either way), else it "
                + "starts a basin. Barriers between nearby basins come from AD chains between their minima at a "
                + "stronger alpha (the highest U on the way); the disconnectivity tree joins basins at the lowest "
                + "known barrier.",
                "Writes OUT/landscape-iter-N.json (basins, members, barriers, tree), OUT/landscape-iter-N.png "
                        + "(the tree over columns of basin members) and, for 2D toys, OUT/landscape-map-iter-N.png "
                        + "(basins over the learned density, the exact grid basins outlined, barrier paths). For 2D "
                        + "toys the exact answer is computed on a 400x400 grid (steepest descent basins, flooding "
                        + "saddles) and the mapping is compared with it.",
                "Defaults differ for 2D toys and images (shown per option as toys / images)."})
final class LandscapeCommand implements Callable<Integer> {
    @Mixin
    CheckpointOptions trained;

    @Option(names = "--samples", description = "Metastable samples to map (default 200 / 64).")
    Integer samples;

    @Option(names = "--chain-steps", paramLabel = "L", description = "Long-run Langevin steps at the training "
            + "temperature that make them metastable (default 2000 / 1000; the paper's long runs are 100,000).")
    Integer chainSteps;

    @Option(names = "--from", description = "Long-run chains start from the run's p0 noise, its data, or half from "
            + "each: noise, data, both (default both).")
    String from;

    @Option(names = "--quench-steps", description = "Noise-free steps after the long run (gradient descent on U "
            + "with the training step), to local minima (default 500 / 200).")
    Integer quenchSteps;

    @Option(names = "--magnetization", paramLabel = "ALPHA", description = "alpha of the grouping chains, U per "
            + "unit distance: larger merges more (default 1 / 50).")
    Double magnetization;

    @Option(names = "--barrier-magnetization", paramLabel = "ALPHA", description = "alpha of the chains between "
            + "basin minima that measure barriers (default 20 / 500).")
    Double barrierMagnetization;

    @Option(names = "--barrier-rounds", description = "Pairs no barrier chain joined are tried again at 8 times the "
            + "magnetization, up to this many rounds in all (default 5).")
    Integer barrierRounds;

    @Option(names = "--temperature", paramLabel = "TAU", description = "AD temperature as a fraction of the "
            + "training temperature, in (0, 1] (default 0.1).")
    Double temperature;

    @Option(names = "--step-scale", paramLabel = "KAPPA", description = "AD step as a fraction of the training "
            + "step, in (0, 1]: smaller steps miss less of a crest (default 0.2 / 1).")
    Double stepScale;

    @Option(names = "--budget", description = "Most steps of one AD chain (default 1000).")
    Integer budget;

    @Option(names = "--patience", description = "Steps without coming closer to the target before an AD chain "
            + "gives up (default 100).")
    Integer patience;

    @Option(names = "--arrival", description = "L2 distance to the target that counts as arrived (default 0.05 / "
            + "1.0).")
    Double arrival;

    @Option(names = "--trials", description = "AD chains per direction and pair (default 4 / 2).")
    Integer trials;

    @Option(names = "--neighbours", description = "Barriers are measured between each basin and its nearest N "
            + "minima, plus a shortest tree through all minima (default 3).")
    Integer neighbours;

    @Option(names = "--batch", description = "Most chains advanced together (default 4096 / 64).")
    Integer batch;

    @Option(names = "--shown", description = "Member images per basin column in the picture (default 8 / 6).")
    Integer shown;

    @Option(names = "--min-depth", description = "A basin whose barrier to a deeper basin lies less than this above "
            + "its minimum (U units) is merged into that basin; applied alike to the map and to the toys' exact grid "
            + "reference (default 1).")
    Double minDepth;

    @Option(names = "--seed", description = "Seed of chain starts and all chain noise (default 1).")
    Long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default RUN/landscape).")
    Path out;

    @Override
    public Integer call() {
        Path json = trained.json();
        LandscapeSettings d = LandscapeMapping.defaults(json);
        LandscapeSettings settings = new LandscapeSettings(or(samples, d.samples()), or(chainSteps, d.chainSteps()),
                from == null ? d.from() : LandscapeSettings.parseFrom(from), or(quenchSteps, d.quenchSteps()),
                or(magnetization, d.magnetization()), or(barrierMagnetization, d.barrierMagnetization()),
                or(barrierRounds, d.barrierRounds()),
                or(temperature, d.temperature()), or(stepScale, d.stepScale()), or(budget, d.budget()),
                or(patience, d.patience()),
                or(arrival, d.arrival()), or(trials, d.trials()), or(neighbours, d.neighbours()),
                or(batch, d.batch()), or(shown, d.shown()), or(minDepth, d.minDepth()), or(seed, d.seed()));
        Torch.configure(trained.threads);
        Path dir = out != null ? out : json.toAbsolutePath().getParent().getParent().resolve("landscape");
        LandscapeMapping.Outcome outcome = LandscapeMapping.run(json, settings, dir, new PhaseProgress());
        Landscape l = outcome.landscape();
        l.summary().forEach(System.out::println);
        System.out.printf(Locale.ROOT, "chains:  T=%.4g, eps=%.4g; AD at tau=%.3g, alpha %.4g (grouping) / "
                + "%.4g (barriers); %.1f s%n", l.temperature(), l.eps(), settings.temperature(),
                settings.magnetization(), settings.barrierMagnetization(), l.seconds());
        System.out.println("report:  " + outcome.json());
        outcome.pictures().forEach(p -> System.out.println("picture: " + p));
        return 0;
    }

    private static <T> T or(T given, T fallback) {
        return given != null ? given : fallback;
    }
}
