package dev.shortrun.steps;

import dev.shortrun.model.generator.GeneratorTasks;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.steps.settings.Section;
import dev.shortrun.steps.settings.Setting;
import dev.shortrun.steps.settings.SettingsReader;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The {@code superres} step: Figure 8, samples from low-resolution test images (metric {@code superres_mse}). */
public final class SuperresStep extends StepDefinition<SuperresStep.Settings> {
    public static final String NAME = "superres";
    public static final Section SECTION = new Section(NAME, "super-resolution from low-resolution test images "
            + "(Figure 8)", true);

    public static final Setting<Integer> LOW = SECTION.add(Setting.integer("low", "Low resolution side; must divide "
            + "the image size.").between(1, 1024).defaultTo("the run's sampler.lowres_size, else 8", c -> {
                int trained = c.train().learner().init().lowresSize();
                return trained > 0 ? trained : 8;
            }));
    public static final Setting<Integer> N = SECTION.add(Setting.integer("n", "Test images, one row each.")
            .between(1, 10_000)
            .defaultValue(8));
    public static final Setting<Integer> SEEDS = SECTION.add(Setting.integer("seeds", "Samples per image.")
            .between(1, 1000)
            .defaultValue(4));
    public static final Setting<Long> SEED = SECTION.add(Setting.longInteger("seed", "First seed of the Langevin "
            + "noise.").defaultTo("learner.seed", c -> c.train().seed()));
    public static final Setting<Integer> K = SECTION.add(Setting.integer("K", "Langevin steps.").between(0, 100_000)
            .unset("the training K (K_max when K is drawn per iteration)").flags("--K", "-K"));
    public static final SuperresStep STEP = new SuperresStep();

    /** @param k Langevin steps, or null for the training K */
    public record Settings(int low, int n, int seeds, Integer k, long seed) {
    }

    private SuperresStep() {
        super(SECTION, Settings.class);
    }

    @Override
    public Settings resolve(SettingsReader r) {
        int low = r.get(LOW);
        int imageSize = r.context().train().data().imageSize();
        if (imageSize % low != 0) {
            throw r.error(LOW, "must divide the image size " + imageSize + ", found " + low);
        }
        return new Settings(low, r.get(N), r.get(SEEDS), r.getIfGiven(K), r.get(SEED));
    }

    @Override
    public Data data() {
        return Data.IMAGES;
    }

    @Override
    public CheckpointStepFn<Settings> newFn() {
        return new Fn();
    }

    /** The figure of one checkpoint into {@code png}; returns the samples' MSE per pixel against the originals. */
    public static double superResolution(CheckpointSampler sampler, Settings s, String dataDir, Path png) {
        return GeneratorTasks.superResolution(sampler, dataDir, png, s.n(), s.low(), s.seeds(),
                s.k() != null ? s.k() : sampler.config().langevin().trainingK(), s.seed());
    }

    static final class Fn extends GeneratorStepFn<Settings> {
        Fn() {
            super(NAME, Settings.class);
        }

        @Override
        Outcome run(CheckpointSampler sampler, Settings settings, Path dir, String base) {
            Path png = dir.resolve("superres-" + base + "-low" + settings.low() + ".png");
            return new Outcome(Map.of("superres_mse", superResolution(sampler, settings, null, png)), List.of(png));
        }
    }
}
