package dev.shortrun.steps;

import dev.shortrun.model.generator.GeneratorTasks;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.steps.settings.Section;
import dev.shortrun.steps.settings.Setting;
import dev.shortrun.steps.settings.SettingsReader;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The {@code interpolate} step: Figure 3's strips M_theta(z_rho), z_rho = rho z1 + sqrt(1 - rho^2) z2. */
public final class InterpolateStep extends StepDefinition<InterpolateStep.Settings> {
    public static final String NAME = "interpolate";
    public static final Section SECTION = new Section(NAME, "interpolation between two latent starts (Figure 3)",
            true);

    public static final Setting<Integer> PAIRS = SECTION.add(Setting.integer("pairs", "Strips (pairs z1, z2).")
            .between(1, 1000).defaultValue(8));
    public static final Setting<Integer> POINTS = SECTION.add(Setting.integer("points", "Pictures per strip.")
            .between(2, 1000).defaultValue(10));
    public static final Setting<Long> SEED = SECTION.add(Setting.longInteger("seed", "Seed of z1 and z2.")
            .defaultTo("learner.seed", c -> c.train().seed()));
    public static final Setting<Integer> K = SECTION.add(Setting.integer("K", "Langevin steps of M_theta.")
            .between(0, 100_000)
            .unset("the training K (K_max when K is drawn per iteration)").flags("--K", "-K"));
    public static final InterpolateStep STEP = new InterpolateStep();

    /** @param k Langevin steps, or null for the training K */
    public record Settings(int pairs, int points, Integer k, long seed) {
    }

    private InterpolateStep() {
        super(SECTION, Settings.class);
    }

    @Override
    public Settings resolve(SettingsReader r) {
        return new Settings(r.get(PAIRS), r.get(POINTS), r.getIfGiven(K), r.get(SEED));
    }

    @Override
    public Data data() {
        return Data.IMAGES;
    }

    @Override
    public CheckpointStepFn<Settings> newFn() {
        return new Fn();
    }

    /** The strips of one checkpoint into {@code png}. */
    public static void interpolate(CheckpointSampler sampler, Settings s, Path png) {
        GeneratorTasks.interpolation(sampler, png, s.pairs(), s.points(),
                s.k() != null ? s.k() : sampler.config().langevin().trainingK(), s.seed());
    }

    static final class Fn extends GeneratorStepFn<Settings> {
        Fn() {
            super(NAME, Settings.class);
        }

        @Override
        Outcome run(CheckpointSampler sampler, Settings settings, Path dir, String base) {
            Path png = dir.resolve("interpolation-" + base + ".png");
            interpolate(sampler, settings, png);
            return new Outcome(Map.of(), List.of(png));
        }
    }
}
