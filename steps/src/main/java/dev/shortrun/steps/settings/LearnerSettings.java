package dev.shortrun.steps.settings;

import dev.shortrun.model.learning.LearnerConfig;
import dev.shortrun.model.learning.OptimizerConfig;
import dev.shortrun.model.learning.Schedule;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.sampling.Initializer;

import java.util.List;

/** {@code learner.*}: maximum-likelihood learning (Algorithm 1 of both papers). */
public final class LearnerSettings {
    public static final Section SECTION = new Section("learner", "maximum-likelihood learning (Algorithm 1)", true);

    public static final Setting<Long> ITERATIONS = SECTION.add(Setting.longInteger("iterations", "Learning "
            + "iterations.").between(0, 1_000_000_000).defaultValue(TrainConfig.DEFAULT_ITERATIONS));
    public static final Setting<Integer> BATCH = SECTION.add(Setting.integer("batch", "Batch size m (data and "
            + "chains).").between(1, 10_000).defaultTo("64 for images, 100 for 2D toys",
                    c -> LearnerConfig.defaultBatch(c.toy())));
    public static final Setting<Long> SEED = SECTION.add(Setting.longInteger("seed", "Random seed of the run (its "
            + "own SplitMix64 stream: weights, data order, chain noise).")
            .defaultTo("1 for images, 123 for 2D toys (the Anatomy code's)", c -> TrainConfig.defaultSeed(c.toy())));
    public static final Setting<String> OPTIMIZER = SECTION.add(Setting.choice("optimizer", "adam (PyTorch's "
            + "update) or sgd.", List.of("adam", "sgd")).defaultValue("adam"));
    public static final Setting<Double> LR = SECTION.add(Setting.number("lr", "Learning rate.")
            .range(Range.POSITIVE).defaultValue(LearnerConfig.DEFAULT_LR));
    public static final Setting<Integer> LR_DECAY_AFTER = SECTION.add(Setting.integer("lr_decay_after", "Keep the "
            + "lr (or gamma0) constant this many iterations, then multiply it by lr_decay each iteration.").min(0)
            .defaultValue(0));
    public static final Setting<Double> LR_DECAY = SECTION.add(Setting.number("lr_decay", "Per-iteration lr factor "
            + "after lr_decay_after (1 = constant).").range(Range.DECAY_FACTOR).defaultValue(1.0));
    public static final Setting<Double> LR_MIN = SECTION.add(Setting.number("lr_min", "Floor of the decayed lr.")
            .range(Range.NON_NEGATIVE).defaultValue(0.0));
    public static final Setting<Double> GAMMA0 = SECTION.add(Setting.number("gamma0", "With sampler.epsilon and "
            + "optimizer sgd, instead of lr: the Anatomy SGD rate; the lr is (eps^2/2) * gamma0.")
            .range(Range.POSITIVE).unset("learner.lr is used"));
    public static final Setting<Double> GAMMA0_MIN = SECTION.add(Setting.number("gamma0_min", "Floor of the decayed "
            + "gamma0 (the lr floor is (eps^2/2) * gamma0_min).").range(Range.NON_NEGATIVE).derivedFrom("0"));
    public static final Setting<Double> BETA1 = SECTION.add(Setting.number("beta1", "Adam beta1.")
            .range(Range.FRACTION).defaultValue(OptimizerConfig.DEFAULT_BETA1));
    public static final Setting<Double> BETA2 = SECTION.add(Setting.number("beta2", "Adam beta2.")
            .range(Range.FRACTION).defaultValue(OptimizerConfig.DEFAULT_BETA2));
    public static final Setting<Double> ADAM_EPS = SECTION.add(Setting.number("adam_eps", "Adam eps.")
            .range(Range.POSITIVE).defaultValue(OptimizerConfig.DEFAULT_EPS));
    public static final Setting<Double> SIGMA = SECTION.add(Setting.number("sigma", "Data noise: "
            + "x+ = x + sigma N(0, I).").range(Range.NON_NEGATIVE)
            .defaultTo("0.03 for images, 0 for 2D toys", c -> LearnerConfig.defaultSigma(c.toy())));
    public static final Setting<Integer> SIGMA_DECAY_AFTER = SECTION.add(Setting.integer("sigma_decay_after", "Keep "
            + "sigma constant this many iterations, then multiply it by sigma_decay each iteration.").min(0)
            .defaultValue(0));
    public static final Setting<Double> SIGMA_DECAY = SECTION.add(Setting.number("sigma_decay", "Per-iteration "
            + "sigma factor after sigma_decay_after (1 = constant).").range(Range.DECAY_FACTOR).defaultValue(1.0));
    public static final Setting<Double> SIGMA_MIN = SECTION.add(Setting.number("sigma_min", "Floor of the decayed "
            + "sigma.").range(Range.NON_NEGATIVE).defaultValue(0.0));
    public static final Setting<Double> DIVERGENCE_BOUND = SECTION.add(Setting.number("divergence_bound", "Stop when "
            + "|f(x+)|, |f(x-)| or their difference exceeds this.").range(Range.POSITIVE)
            .defaultValue(LearnerConfig.DEFAULT_DIVERGENCE_BOUND));

    private LearnerSettings() {
    }

    static LearnerConfig resolve(SettingsReader r, Initializer init, double epsilon) {
        int batch = r.get(BATCH);
        OptimizerConfig.Kind kind = OptimizerConfig.parseKind(r.get(OPTIMIZER));
        Schedule lrSchedule = r.isGiven(GAMMA0) || r.isGiven(GAMMA0_MIN) ? gammaSchedule(r, kind, epsilon)
                : schedule(r, r.get(LR), LR_DECAY_AFTER, LR_DECAY, LR_MIN);
        OptimizerConfig optimizer = new OptimizerConfig(kind, r.get(BETA1), r.get(BETA2), r.get(ADAM_EPS));
        double sigma = r.get(SIGMA);
        Schedule sigmaSchedule = schedule(r, sigma, SIGMA_DECAY_AFTER, SIGMA_DECAY, SIGMA_MIN);
        double bound = r.get(DIVERGENCE_BOUND);
        return new LearnerConfig(batch, sigmaSchedule, lrSchedule, optimizer, init, bound, epsilon);
    }

    /**
     * The Anatomy SGD rate: gamma0 (and its floor gamma0_min) in the paper's units, the actual lr (eps^2/2) gamma,
     * decayed by learner.lr_decay per iteration as the lr is.
     */
    private static Schedule gammaSchedule(SettingsReader r, OptimizerConfig.Kind kind, double epsilon) {
        Setting<Double> key = r.isGiven(GAMMA0) ? GAMMA0 : GAMMA0_MIN;
        if (!r.isGiven(GAMMA0)) {
            throw r.error(key, "only used with learner.gamma0");
        }
        if (epsilon == 0) {
            throw r.error(key, "gamma0 is the SGD rate of the Anatomy parametrisation and needs sampler.epsilon "
                    + "(the lr is (eps^2/2) * gamma0); without it set learner.lr");
        }
        if (kind != OptimizerConfig.Kind.SGD) {
            throw r.error(key, "gamma0 is an SGD rate (the Anatomy code scales only SGD's lr); with adam set "
                    + "learner.lr");
        }
        for (Setting<Double> lrKey : List.of(LR, LR_MIN)) {
            if (r.isGiven(lrKey)) {
                throw r.error(lrKey, "set either learner.gamma0 (and gamma0_min) or learner.lr (and lr_min), not "
                        + "both");
            }
        }
        double gamma0 = r.get(GAMMA0);
        int after = r.get(LR_DECAY_AFTER);
        double factor = r.get(LR_DECAY);
        double floor = r.get(GAMMA0_MIN, 0.0);
        return new Schedule(gamma0, after, factor, Math.min(floor, gamma0))
                .times(LearnerConfig.sgdLearningRate(1.0, epsilon));
    }

    /** Constant, then decayed each iteration to a floor; the floor never exceeds the start. */
    private static Schedule schedule(SettingsReader r, double initial, Setting<Integer> decayAfter,
                                     Setting<Double> decay, Setting<Double> min) {
        int after = r.get(decayAfter);
        double factor = r.get(decay);
        double floor = r.get(min);
        return new Schedule(initial, after, factor, Math.min(floor, initial));
    }
}
