package dev.shortrun.steps;

import dev.shortrun.model.generator.GeneratorTasks;
import dev.shortrun.model.generator.HeldOutReconstruction;
import dev.shortrun.model.generator.Reconstruction;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.steps.settings.Range;
import dev.shortrun.steps.settings.Section;
import dev.shortrun.steps.settings.Setting;
import dev.shortrun.steps.settings.SettingsReader;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@code reconstruct} step: Table 1b's MSE per pixel of held-out test examples reconstructed through the chain
 * (metric {@code recon_mse}, beside {@code recon_baseline_mse}, the mean training image's) and Figure 4's transition.
 */
public final class ReconstructStep extends StepDefinition<ReconstructStep.Settings> {
    public static final String NAME = "reconstruct";
    public static final Section SECTION = new Section(NAME, "reconstruction of held-out examples (Figure 4, "
            + "Table 1b)", true);

    public static final Setting<Integer> N = SECTION.add(Setting.integer("n", "Held-out examples: the first N of "
            + "the test split (Table 1b uses 1000).").between(1, 100_000).defaultValue(1000));
    public static final Setting<Integer> STEPS = SECTION.add(Setting.integer("steps", "Gradient steps on z per "
            + "example.").between(0, 1_000_000).defaultValue(200));
    public static final Setting<Double> LR = SECTION.add(Setting.number("lr", "Step size of z <- z - lr dL/dz (the "
            + "paper leaves it open).").range(Range.POSITIVE).defaultValue(Reconstruction.DEFAULT_LR));
    public static final Setting<Integer> BATCH = SECTION.add(Setting.integer("batch", "Examples reconstructed at "
            + "once.").between(1, 10_000).defaultValue(100));
    public static final Setting<Long> SEED = SECTION.add(Setting.longInteger("seed", "Seed of z_0 ~ p0.")
            .defaultTo("learner.seed", c -> c.train().seed()));
    public static final Setting<Integer> K = SECTION.add(Setting.integer("K", "Langevin steps of M_theta.")
            .between(0, 100_000)
            .unset("the training K (K_max when K is drawn per iteration)").flags("--K", "-K"));
    public static final ReconstructStep STEP = new ReconstructStep();

    /** @param k Langevin steps, or null for the training K */
    public record Settings(int n, int steps, double lr, int batch, Integer k, long seed) {
    }

    private ReconstructStep() {
        super(SECTION, Settings.class);
    }

    @Override
    public Settings resolve(SettingsReader r) {
        return new Settings(r.get(N), r.get(STEPS), r.get(LR), r.get(BATCH), r.getIfGiven(K), r.get(SEED));
    }

    @Override
    public Data data() {
        return Data.IMAGES;
    }

    @Override
    public CheckpointStepFn<Settings> newFn() {
        return new Fn();
    }

    /** Reconstructs the test examples of {@code dataDir} (null: the checkpoint's), transition into {@code png}. */
    public static GeneratorTasks.ReconstructionResult reconstruct(CheckpointSampler sampler, Settings s, String dataDir,
                                                                  Path png, HeldOutReconstruction.Progress progress) {
        return GeneratorTasks.reconstruct(sampler, dataDir, s.n(), s.steps(), s.lr(), s.batch(),
                s.k() != null ? s.k() : sampler.config().langevin().trainingK(), s.seed(), png, progress);
    }

    static final class Fn extends GeneratorStepFn<Settings> {
        Fn() {
            super(NAME, Settings.class);
        }

        @Override
        Outcome run(CheckpointSampler sampler, Settings settings, Path dir, String base) {
            Path png = dir.resolve("reconstruction-" + base + ".png");
            var result = reconstruct(sampler, settings, null, png, (done, total, loss) -> { });
            return new Outcome(Map.of("recon_mse", result.report().mse(),
                    "recon_baseline_mse", result.baselineMse(),
                    "recon_seconds_per_step", result.report().secondsPerStep()), List.of(png));
        }
    }
}
