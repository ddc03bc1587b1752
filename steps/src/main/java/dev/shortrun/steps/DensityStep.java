package dev.shortrun.steps;

import ai.djl.ndarray.NDManager;
import dev.shortrun.model.metrics.ToyDensityMaps;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.model.run.Pictures;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.torch.Devices;
import dev.shortrun.steps.settings.Section;
import dev.shortrun.steps.settings.SettingsReader;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code density} step (2D toys only): per checkpoint, the Anatomy paper's Figure 6 (true density, learned
 * density, KDE of fresh short-run samples; linear and log) as a PNG, and KL(true || learned), KL(true || KDE) as
 * metrics. A non-convergent model shows a small KDE divergence and a large learned one; a convergent model a small
 * learned one. Its chains use the sample step's seed.
 */
public final class DensityStep extends StepDefinition<DensityStep.Settings> {
    public static final String NAME = "density";
    public static final Section SECTION = new Section(NAME, "2D toys: true, learned and sampled densities (Figure 6) "
            + "and their KL divergences", true);
    public static final DensityStep STEP = new DensityStep();
    /** Short-run chains behind the KDE ({@code batch_size_kde} of the reference configs). */
    public static final int KDE_SAMPLES = 10_000;
    public static final String KL_LEARNED = "kl_true_learned";
    public static final String KL_KDE = "kl_true_kde";

    /** The step has no settings of its own. */
    public record Settings() {
    }

    private DensityStep() {
        super(SECTION, Settings.class, Data.TOYS);
    }

    /** The figure's path for a checkpoint: {@code RUN/density/density-iter-NNNNNN.png}. */
    public static Path figure(Path runDir, long iteration) {
        return new RunDirectory(runDir).densityDir().resolve("density-" + RunDirectory.iterName(iteration) + ".png");
    }

    /** The two metrics, as logged and returned. */
    public static Map<String, Double> metrics(ToyDensityMaps maps) {
        return Map.of(KL_LEARNED, maps.klTrueLearned(), KL_KDE, maps.klTrueKde());
    }

    @Override
    public Settings resolve(SettingsReader reader) {
        return new Settings();
    }

    @Override
    public CheckpointStepFn<Settings> newFn() {
        return new DensityFn();
    }

    static final class DensityFn extends CheckpointStepFn<Settings> {
        DensityFn() {
            super(NAME, Settings.class, RunDirectory.DENSITY);
        }

        @Override
        protected StepOutcome compute(CheckpointRef ref, RunSpec spec, Settings settings) {
            Path png = figure(Path.of(spec.outputDir()), ref.iteration());
            try (NDManager manager = Devices.newManager();
                 CheckpointSampler sampler = new CheckpointSampler(Path.of(ref.checkpointJson()), manager)) {
                ToyDensityMaps maps = sampler.densityMaps(KDE_SAMPLES, spec.settings(SampleStep.STEP).seed(), null);
                Pictures.densityMaps(png, maps);
                return StepOutcome.of(metrics(maps), List.of(png.toString()));
            }
        }
    }
}
