package dev.shortrun.steps;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.model.run.Pictures;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.sampling.LangevinSampler;
import dev.shortrun.model.torch.Devices;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.util.Rng;
import dev.shortrun.steps.settings.Section;
import dev.shortrun.steps.settings.Setting;
import dev.shortrun.steps.settings.SettingsReader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code sample} step: a picture of fresh short-run samples per checkpoint, and for the final checkpoint the
 * transition strip over K (the reply to reviewers: K beyond the training K over-saturates).
 */
public final class SampleStep extends StepDefinition<SampleStep.Settings> {
    public static final String NAME = "sample";
    public static final Section SECTION = new Section(NAME, "fresh short-run samples of every checkpoint", true);

    public static final Setting<Integer> N = SECTION.add(Setting.integer("n", "Samples per picture.").between(1, 10_000)
            .defaultValue(64));
    public static final Setting<List<Integer>> K_VALUES = SECTION.add(Setting.integers("k_values", "Chain lengths "
            + "of the final checkpoint's transition strip.").between(0, 100_000)
            .defaultTo("0, K/5, ..., 2K of the training K", c -> transitionStrip(c.train().langevin().trainingK())));
    public static final Setting<Long> SEED = SECTION.add(Setting.longInteger("seed", "Seed of the starts and the "
            + "chains' noise.").defaultTo("learner.seed", c -> c.train().seed()));
    public static final Setting<Integer> K = SECTION.add(Setting.integer("K", "Langevin steps of the fresh chains.")
            .between(0, 100_000).unset("the training K (K_max when K is drawn per iteration)").flags("--K", "-K"));
    public static final SampleStep STEP = new SampleStep();

    /**
     * The sample step's settings.
     *
     * @param n       samples per picture
     * @param k       chain length, or null for the training K
     * @param kValues Langevin step counts for the transition strip (reply to reviewers: 0 to 2K)
     * @param seed    seed of the sampling chains
     */
    public record Settings(int n, Integer k, List<Integer> kValues, long seed) {
        public Settings {
            kValues = List.copyOf(kValues);
        }

        /** The chain length for a model trained with {@code trainingK} steps. */
        public int steps(int trainingK) {
            return k != null ? k : trainingK;
        }
    }

    private SampleStep() {
        super(SECTION, Settings.class, Data.ANY);
    }

    /** 0, K/5, ..., 2K: the reply-to-reviewers strip of samples past the training K. */
    public static List<Integer> transitionStrip(int k) {
        List<Integer> ks = new ArrayList<>();
        for (int i = 0; i <= 10; i++) {
            ks.add((int) ((long) i * k / 5));
        }
        return ks;
    }

    @Override
    public Settings resolve(SettingsReader r) {
        return new Settings(r.get(N), r.getIfGiven(K), r.get(K_VALUES), r.get(SEED));
    }

    @Override
    public boolean alwaysResolved() {
        return true;
    }

    @Override
    public CheckpointStepFn<Settings> newFn() {
        return new SampleFn();
    }

    static final class SampleFn extends CheckpointStepFn<Settings> {
        SampleFn() {
            super(NAME, Settings.class, RunDirectory.SAMPLES);
        }

        @Override
        protected StepOutcome compute(CheckpointRef ref, RunSpec spec, Settings settings) {
            Path json = Path.of(ref.checkpointJson());
            Path samples = new RunDirectory(Path.of(spec.outputDir())).samplesDir();
            String base = RunDirectory.iterName(ref.iteration());
            List<String> pictures = new ArrayList<>();
            try (NDManager manager = Devices.newManager();
                 CheckpointSampler sampler = new CheckpointSampler(json, manager)) {
                RandomTensors random = new RandomTensors(new Rng(settings.seed()));
                int k = settings.steps(sampler.config().langevin().trainingK());
                NDArray start = sampler.drawStart(settings.n(), random);
                LangevinSampler.Chain chain = sampler.run(start, k, random, true, null);
                Path png = samples.resolve("fresh-" + base + ".png");
                Pictures.samples(png, chain.samples(), sampler.config().data());
                pictures.add(png.toString());
                if (ref.last()) {
                    Path strip = samples.resolve("k-transition-" + base + ".png");
                    int chains = sampler.config().data().isToy() ? Math.max(200, settings.n()) : 8;
                    sampler.transitionStrip(strip, chains, settings.kValues().stream().mapToInt(Integer::intValue)
                            .toArray(), settings.seed());
                    pictures.add(strip.toString());
                }
                return StepOutcome.of(Map.of("sample_grad_norm", chain.meanGradNorm()), pictures);
            }
        }
    }
}
