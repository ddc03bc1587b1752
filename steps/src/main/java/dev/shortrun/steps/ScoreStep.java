package dev.shortrun.steps;

import dev.shortrun.model.metrics.InceptionNetwork;
import dev.shortrun.model.metrics.LeNet;
import dev.shortrun.model.scoring.CheckpointScorer;
import dev.shortrun.steps.settings.Section;
import dev.shortrun.steps.settings.Setting;
import dev.shortrun.steps.settings.SettingsReader;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The {@code score} step: IS and FID of N fresh short-run samples per checkpoint (FID Inception for CIFAR-10 and
 * folders, the offline FID-LeNet / IS-LeNet for MNIST and Fashion-MNIST, see {@link CheckpointScorer}), logged as
 * a metric history over checkpoints (step = iteration) and carried in the StepResult for the sweep table.
 */
public final class ScoreStep extends StepDefinition<ScoreStep.Settings> {
    public static final String NAME = "score";
    public static final Section SECTION = new Section(NAME, "IS and FID of every checkpoint's short-run samples",
            false);

    public static final Setting<Integer> N = SECTION.add(Setting.integer("n", "Samples per checkpoint.")
            .between(2, 1_000_000)
            .defaultTo("50000 for cifar10 (the papers'), else 10000",
                    c -> CheckpointScorer.Settings.defaultN(c.dataset())));
    public static final Setting<Integer> BATCH = SECTION.add(Setting.integer("batch", "Chains sampled at once.")
            .between(1, 10_000).defaultValue(100));
    public static final Setting<Long> SEED = SECTION.add(Setting.longInteger("seed", "Seed of the sampling chains.")
            .defaultTo("learner.seed", c -> c.train().seed()));
    public static final Setting<Integer> SPLITS = SECTION.add(Setting.integer("splits", "IS splits.").min(1)
            .defaultValue(10));
    public static final Setting<String> NETWORKS = SECTION.add(Setting.choice("networks", "Which networks score: "
            + "auto (lenet for mnist/fashion-mnist, inception otherwise), inception, lenet or both.",
            List.of("auto", "inception", "lenet", "both")).defaultValue("auto"));
    public static final Setting<Integer> REFERENCE_N = SECTION.add(Setting.integer("reference_n", "Training "
            + "examples in the reference statistics; 0 uses all.").min(0).defaultValue(0));
    public static final Setting<String> INCEPTION_DIR = SECTION.add(Setting.path("inception_dir", "Where "
            + "fetch-inception put the FID Inception.").unset("fetch-inception's folder, ~/.cache/shortrun/inception"));
    public static final Setting<String> LENET_DIR = SECTION.add(Setting.path("lenet_dir", "Root of the trained "
            + "LeNets.").unset("~/.cache/shortrun/lenet"));
    public static final ScoreStep STEP = new ScoreStep();

    /**
     * The score step's settings; the directories are null for their defaults.
     */
    public record Settings(int n, int splits, int batch, long seed, int referenceN, String networks,
                           String inceptionDir, String lenetDir) {
        /** The scorer's settings, with reference statistics cached in {@code statsDir}. */
        public CheckpointScorer.Settings scorer(Path statsDir) {
            return new CheckpointScorer.Settings(n, batch, seed, splits,
                    CheckpointScorer.Networks.valueOf(networks.toUpperCase(Locale.ROOT)), referenceN,
                    inceptionDir != null ? Path.of(inceptionDir) : InceptionNetwork.defaultDir(),
                    lenetDir != null ? Path.of(lenetDir) : LeNet.defaultDir(), statsDir);
        }
    }

    private ScoreStep() {
        super(SECTION, Settings.class);
    }

    @Override
    public Data data() {
        return Data.IMAGES;
    }

    @Override
    public Settings resolve(SettingsReader r) {
        int n = r.get(N);
        int splits = r.get(SPLITS);
        if (n < splits) {
            throw r.error(N, "must be at least score.splits (" + splits + "), found " + n);
        }
        int batch = r.get(BATCH);
        long seed = r.get(SEED);
        int referenceN = r.get(REFERENCE_N);
        String networks = r.get(NETWORKS);
        String dataset = r.context().dataset();
        if (!LeNet.covers(dataset) && (networks.equals("lenet") || networks.equals("both"))) {
            throw r.error(NETWORKS, "the LeNet metrics exist for " + String.join(" and ", LeNet.DATASETS)
                    + " only, not " + dataset);
        }
        return new Settings(n, splits, batch, seed, referenceN, networks, r.getIfGiven(INCEPTION_DIR),
                r.getIfGiven(LENET_DIR));
    }

    @Override
    public CheckpointStepFn<Settings> newFn() {
        return new ScoreFn();
    }

    /**
     * Reference statistics are cached beside the run's decoded data sets ({@code <output>/cache/feature-stats}), or
     * beside the LeNets without a cache.
     */
    static Path statsDir(RunSpec spec) {
        String cache = spec.train().data().cacheDir();
        return cache != null ? Path.of(cache).resolve("feature-stats") : LeNet.defaultDir().resolveSibling(
                "feature-stats");
    }

    static final class ScoreFn extends CheckpointStepFn<Settings> {
        ScoreFn() {
            super(NAME, Settings.class, "");
        }

        @Override
        protected StepOutcome compute(CheckpointRef ref, RunSpec spec, Settings settings) {
            return StepOutcome.of(CheckpointScorer.score(Path.of(ref.checkpointJson()),
                    settings.scorer(statsDir(spec)), CheckpointScorer.Listener.NONE), List.of());
        }
    }
}
