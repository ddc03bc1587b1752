package dev.shortrun.cli;

import dev.shortrun.model.landscape.Landscape;
import dev.shortrun.model.landscape.LandscapeMapping;
import dev.shortrun.model.landscape.LandscapeSettings;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.steps.LandscapeStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;

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
                "Some defaults differ for 2D toys and images: each option says which."})
final class LandscapeCommand extends StepCommand<LandscapeSettings> {
    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default RUN/landscape).")
    Path out;

    LandscapeCommand() {
        super(LandscapeStep.STEP, LandscapeStep.SECTION.settings());
    }

    @Override
    public Integer call() {
        Path json = trained.json();
        LandscapeSettings settings = settings();
        Torch.configure(trained.threads);
        Path dir = out != null ? out : RunDirectory.ofCheckpoint(json).landscapeDir();
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
}
