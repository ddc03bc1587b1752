package dev.shortrun.steps.settings;

import dev.shortrun.model.sampling.Initializer;
import dev.shortrun.model.sampling.LangevinConfig;
import dev.shortrun.model.torch.Precision;

import java.util.List;

/** {@code sampler.*}: the short-run Langevin chains that draw the model's samples x- during learning. */
public final class SamplerSettings {
    public static final Section SECTION = new Section("sampler", "the short-run Langevin chains of learning", true);

    public static final Setting<Integer> K = SECTION.add(Setting.integer("K", "Langevin steps per chain.")
            .between(0, 100_000)
            .defaultValue(LangevinConfig.DEFAULT_K).flags("--K", "-K"));
    public static final Setting<Integer> K_MIN = SECTION.add(Setting.integer("k_min", "With k_max: K is drawn "
            + "uniformly from [k_min, k_max] each iteration (the reply to reviewers); alone it fixes K.")
            .between(0, 100_000)
            .derivedFrom("K"));
    public static final Setting<Integer> K_MAX = SECTION.add(Setting.integer("k_max", "Upper end of the K range "
            + "(see k_min).").between(0, 100_000).derivedFrom("k_min"));
    public static final Setting<Double> STEP_SIZE = SECTION.add(Setting.number("step_size", "Langevin step on "
            + "grad f (the seed code's scaled energy).").range(Range.POSITIVE)
            .defaultValue(LangevinConfig.DEFAULT_STEP_SIZE));
    public static final Setting<Double> NOISE_STD = SECTION.add(Setting.number("noise_std", "Langevin noise std.")
            .range(Range.NON_NEGATIVE).defaultValue(LangevinConfig.DEFAULT_NOISE_STD));
    public static final Setting<String> INIT = SECTION.add(Setting.choice("init", "Chain starts: uniform, gaussian, "
            + "data (a noisy data batch: CD), persistent (a bank of chains continued across iterations) or lowres "
            + "(the data image at lowres_size, upsampled: super-resolution).", Initializer.NAMES)
            .defaultTo("uniform for images, gaussian for 2D toys", c -> Initializer.defaultKind(c.toy())));
    public static final Setting<Double> INIT_SCALE = SECTION.add(Setting.number("init_scale", "Scale of the start "
            + "noise: uniform on [-s, s] or s N(0, I); a persistent bank starts uniform on [-s, s].")
            .range(Range.POSITIVE).derivedFrom("2 for 2D toys' uniform and gaussian starts, else 1"));
    public static final Setting<Integer> BANK_SIZE = SECTION.add(Setting.integer("bank_size", "With init persistent: "
            + "chains in the bank.").between(1, 10_000_000).unset("one per training image, 10000 for 2D toys"));
    public static final Setting<Double> EPSILON = SECTION.add(Setting.number("epsilon", "Anatomy parametrisation: "
            + "step eps of X <- X - (eps^2/2) dU/dX + eps tau Z on the scaled energy (step 1 on grad f, noise "
            + "eps*tau, loss times 2/eps^2); replaces step_size and noise_std.").range(Range.POSITIVE)
            .unset("the seed code's step_size and noise_std"));
    public static final Setting<Integer> TAU = SECTION.add(Setting.integer("tau", "With epsilon: noise indicator, "
            + "1 (Langevin) or 0 (no noise).").oneOf(0, 1).defaultValue(1));
    public static final Setting<Integer> LOWRES_SIZE = SECTION.add(Setting.integer("lowres_size", "With init lowres: "
            + "side of the low-resolution start, dividing the image size.").min(1)
            .defaultValue(Initializer.DEFAULT_LOWRES_SIZE));
    public static final Setting<String> PRECISION = SECTION.add(Setting.choice("precision", "Arithmetic of the "
            + "gradient passes inside each chain: fp32, or bf16 (weights and state cast to bfloat16 for grad f; the "
            + "state, the update, MALA's f and learning stay fp32). bf16 needs a CPU with avx512_bf16 or amx_bf16, "
            + "or a GPU; README \"bf16 chains\" says what it does to learning. The run's checkpoints are sampled in "
            + "it too (sample, score, density, generator tasks); diagnose.precision may differ.", Precision.NAMES_LIST)
            .defaultValue("fp32").flags("--precision"));

    private SamplerSettings() {
    }

    /** The Anatomy step eps, or 0 for the seed code's step and noise; read (and hashed) only when given. */
    static double epsilon(SettingsReader r) {
        Double epsilon = r.getIfGiven(EPSILON);
        return epsilon == null ? 0 : epsilon;
    }

    /**
     * K fixed, or drawn from [k_min, k_max]; a lone k_min fixes K like {@code train --k-min} does. With
     * {@code sampler.epsilon} the step and noise are the Anatomy paper's ({@link LangevinConfig#anatomy}).
     */
    static LangevinConfig langevin(SettingsReader r, double epsilon) {
        int k = r.get(K);
        boolean minGiven = r.isGiven(K_MIN);
        int kMin = r.get(K_MIN, k);
        int kMax = r.get(K_MAX, kMin);
        if (kMin > kMax) {
            Setting<Integer> key = r.isGiven(K_MAX) ? K_MAX : K_MIN;
            throw r.error(key, "need k_min <= k_max, found k_min=" + kMin + (minGiven ? "" : " (from K)")
                    + " > k_max=" + kMax);
        }
        if (epsilon > 0) {
            for (Setting<Double> key : List.of(STEP_SIZE, NOISE_STD)) {
                if (r.isGiven(key)) {
                    throw r.error(key, "not used with sampler.epsilon: the Anatomy parametrisation steps 1 on "
                            + "grad f with noise eps * tau; remove one of the two");
                }
            }
            return LangevinConfig.anatomy(epsilon, r.get(TAU), kMin, kMax).withPrecision(precision(r));
        }
        if (r.isGiven(TAU)) {
            throw r.error(TAU, "the noise indicator tau is only used with sampler.epsilon");
        }
        return new LangevinConfig(r.get(STEP_SIZE), r.get(NOISE_STD), kMin, kMax, precision(r));
    }

    /** fp32 unless given: read (and so recorded and hashed) only when given, so specs without it keep their hashes. */
    private static Precision precision(SettingsReader r) {
        String given = r.getIfGiven(PRECISION);
        return given == null ? Precision.FP32 : Precision.parse(given);
    }

    /**
     * Chain starts: uniform, gaussian, data (CD), persistent or lowres (super-resolution); a persistent bank's size
     * only with persistent, a low-resolution size only with lowres.
     */
    static Initializer init(SettingsReader r, boolean toy, int imageSize) {
        String kind = r.get(INIT);
        double scale = r.get(INIT_SCALE, Initializer.defaultScale(toy, kind));
        int bankSize = 0;
        if (r.isGiven(BANK_SIZE)) {
            if (!kind.equals("persistent")) {
                throw r.error(BANK_SIZE, "only used with sampler.init persistent (sampler.init is " + kind + ")");
            }
            bankSize = r.get(BANK_SIZE);
        }
        int lowresSize = 0;
        if (kind.equals("lowres")) {
            if (toy) {
                throw r.error(INIT, "lowres starts from low-resolution images; a 2D toy has none");
            }
            lowresSize = r.get(LOWRES_SIZE);
            if (imageSize % lowresSize != 0) {
                throw r.error(LOWRES_SIZE, "must divide the image size " + imageSize + " (e.g. 4, 8, 16), found "
                        + lowresSize);
            }
        } else if (r.isGiven(LOWRES_SIZE)) {
            throw r.error(LOWRES_SIZE, "only used with sampler.init lowres (sampler.init is " + kind + ")");
        }
        return Initializer.parse(kind, scale, bankSize, lowresSize);
    }
}
