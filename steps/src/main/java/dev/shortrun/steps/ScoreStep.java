package dev.shortrun.steps;

import dev.shortrun.model.metrics.InceptionNetwork;
import dev.shortrun.model.metrics.LeNet;
import dev.shortrun.model.scoring.CheckpointScorer;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code score} step: IS and FID of N fresh short-run samples per checkpoint (FID Inception for CIFAR-10 and
 * folders, the offline FID-LeNet / IS-LeNet for MNIST and Fashion-MNIST, see {@link CheckpointScorer}), logged as
 * a metric history over checkpoints (step = iteration) and carried in the StepResult for the sweep table.
 *
 * <p>Settings come from the resolved {@code score.*} keys in {@link RunSpec#params()} (see {@link #settings}).
 * Hook for reconstruction MSE: when the generator issue's reconstruct step exists, add its number here as
 * {@code recon_mse} (or let that step emit its own StepResult; the Summary shows any metric by name).
 */
public final class ScoreStep extends PTransform<PCollection<String>, PCollection<String>> {
    public static final String NAME = "score";

    @Override
    public PCollection<String> expand(PCollection<String> checkpoints) {
        return checkpoints.apply("Score", ParDo.of(new ScoreFn()));
    }

    /**
     * The step's settings from a run's resolved params: score.n (default 50,000 for cifar10, else 10,000),
     * score.batch (100), score.seed (sample.seed), score.splits (10), score.networks (auto), score.reference_n (0 =
     * all training examples), score.inception_dir (fetch-inception's folder), score.lenet_dir; reference
     * statistics are cached beside the decoded data sets.
     */
    public static CheckpointScorer.Settings settings(RunSpec spec) {
        Map<String, String> p = spec.params();
        String dataset = spec.train().data().dataset();
        String cache = spec.train().data().cacheDir();
        Path stats = cache != null ? Path.of(cache).resolve("feature-stats")
                : LeNet.defaultDir().resolveSibling("feature-stats");
        return new CheckpointScorer.Settings(
                Integer.parseInt(p.getOrDefault("score.n", Integer.toString(
                        CheckpointScorer.Settings.defaultN(dataset)))),
                Integer.parseInt(p.getOrDefault("score.batch", "100")),
                Long.parseLong(p.getOrDefault("score.seed", Long.toString(spec.sample().seed()))),
                Integer.parseInt(p.getOrDefault("score.splits", "10")),
                CheckpointScorer.Networks.valueOf(p.getOrDefault("score.networks", "auto").toUpperCase(Locale.ROOT)),
                Integer.parseInt(p.getOrDefault("score.reference_n", "0")),
                p.containsKey("score.inception_dir") ? Path.of(p.get("score.inception_dir"))
                        : InceptionNetwork.defaultDir(),
                p.containsKey("score.lenet_dir") ? Path.of(p.get("score.lenet_dir")) : LeNet.defaultDir(),
                stats);
    }

    static final class ScoreFn extends CheckpointStepFn {
        ScoreFn() {
            super(NAME, "");
        }

        @Override
        StepOutcome compute(CheckpointRef ref, RunSpec spec) {
            return StepOutcome.of(CheckpointScorer.score(Path.of(ref.checkpointJson()), settings(spec),
                    CheckpointScorer.Listener.NONE), List.of());
        }
    }
}
