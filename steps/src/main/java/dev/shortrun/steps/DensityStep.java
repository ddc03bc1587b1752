package dev.shortrun.steps;

import ai.djl.ndarray.NDManager;
import dev.shortrun.model.data.DatasetFormats;
import dev.shortrun.model.metrics.ToyDensityMaps;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.model.run.Pictures;
import dev.shortrun.model.run.RunDirectory;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code density} step (2D toys only): per checkpoint, the Anatomy paper's Figure 6 (true density, learned
 * density, KDE of fresh short-run samples; linear and log) as a PNG, and KL(true || learned), KL(true || KDE) as
 * metrics. A non-convergent model shows a small KDE divergence and a large learned one; a convergent model a small
 * learned one.
 */
public final class DensityStep extends PTransform<PCollection<String>, PCollection<String>> {
    public static final String NAME = "density";
    /** Short-run chains behind the KDE ({@code batch_size_kde} of the reference configs). */
    public static final int KDE_SAMPLES = 10_000;
    public static final String KL_LEARNED = "kl_true_learned";
    public static final String KL_KDE = "kl_true_kde";

    @Override
    public PCollection<String> expand(PCollection<String> checkpoints) {
        return checkpoints.apply("Density", ParDo.of(new DensityFn()));
    }

    /** The figure's path for a checkpoint: {@code RUN/density/density-iter-NNNNNN.png}. */
    public static Path figure(Path runDir, long iteration) {
        return new RunDirectory(runDir).densityDir().resolve("density-" + RunDirectory.iterName(iteration) + ".png");
    }

    /** The two metrics, as logged and returned. */
    public static Map<String, Double> metrics(ToyDensityMaps maps) {
        return Map.of(KL_LEARNED, maps.klTrueLearned(), KL_KDE, maps.klTrueKde());
    }

    static final class DensityFn extends CheckpointStepFn {
        DensityFn() {
            super(NAME, RunDirectory.DENSITY);
        }

        @Override
        StepOutcome compute(CheckpointRef ref, RunSpec spec) {
            if (!spec.train().data().isToy()) {
                throw new IllegalArgumentException("step density needs a 2D toy run ("
                        + String.join(", ", DatasetFormats.toyNames()) + "); run "
                        + spec.runName() + " trains on " + spec.train().data().dataset());
            }
            Path png = figure(Path.of(spec.outputDir()), ref.iteration());
            try (NDManager manager = NDManager.newBaseManager();
                 CheckpointSampler sampler = new CheckpointSampler(Path.of(ref.checkpointJson()), manager)) {
                ToyDensityMaps maps = sampler.densityMaps(KDE_SAMPLES, spec.sample().seed(), null);
                Pictures.densityMaps(png, maps);
                return StepOutcome.of(metrics(maps), List.of(png.toString()));
            }
        }
    }
}
