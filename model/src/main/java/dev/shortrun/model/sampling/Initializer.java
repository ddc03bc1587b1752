package dev.shortrun.model.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.torch.RandomTensors;

import java.util.Locale;

/**
 * Where the negative chains start (the Anatomy paper's four initialisations):
 * <ul>
 *   <li>{@code uniform}: p0 = Uniform[-scale, scale]^D (short-run paper, scale 1);</li>
 *   <li>{@code gaussian}: scale * N(0, I) (the Anatomy code's {@code noise_init_factor});</li>
 *   <li>{@code data}: a freshly drawn, noised data batch (contrastive divergence), as the Anatomy code's
 *       {@code sample_q()};</li>
 *   <li>{@code persistent}: a bank of chains started from Uniform[-scale, scale] noise; each iteration continues
 *       a random batch of them and writes the results back (see {@code learning.ChainStarts}).</li>
 * </ul>
 * Only the two noise kinds can be drawn here; data and persistent starts need the learner's state.
 *
 * @param bankSize chains in the persistent bank; 0 = the default (one per training image, 10,000 for 2D toys).
 *                 Ignored by the other kinds. Checkpoints from before this field read it as 0.
 */
public record Initializer(Kind kind, double scale, int bankSize) {
    public enum Kind { UNIFORM, GAUSSIAN, DATA, PERSISTENT }

    /** The Anatomy code's {@code s_t_0_size} for 2D toys. */
    public static final int TOY_BANK_SIZE = 10_000;

    public Initializer {
        if (kind == null) {
            throw new IllegalArgumentException("initialisation kind is required");
        }
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("initialisation scale must be positive, got " + scale);
        }
        if (bankSize < 0) {
            throw new IllegalArgumentException("persistent bank size must be >= 0 (0 = default), got " + bankSize);
        }
    }

    public Initializer(Kind kind, double scale) {
        this(kind, scale, 0);
    }

    public static Initializer uniform() {
        return new Initializer(Kind.UNIFORM, 1.0);
    }

    public static Initializer gaussian(double scale) {
        return new Initializer(Kind.GAUSSIAN, scale);
    }

    /** A bank of {@code bankSize} chains (0 = default) started from Uniform[-1, 1] noise. */
    public static Initializer persistent(int bankSize) {
        return new Initializer(Kind.PERSISTENT, 1.0, bankSize);
    }

    /** Names accepted by {@link #parse}. */
    public static final java.util.List<String> NAMES = java.util.List.of("uniform", "gaussian", "data", "persistent");

    /** Parses "uniform", "gaussian", "data" or "persistent" (scale and bank size given separately). */
    public static Initializer parse(String kind, double scale, int bankSize) {
        return switch (kind.trim().toLowerCase(Locale.ROOT)) {
            case "uniform" -> new Initializer(Kind.UNIFORM, scale, bankSize);
            case "gaussian" -> new Initializer(Kind.GAUSSIAN, scale, bankSize);
            case "data" -> new Initializer(Kind.DATA, scale, bankSize);
            case "persistent" -> new Initializer(Kind.PERSISTENT, scale, bankSize);
            default -> throw new IllegalArgumentException("unknown init '" + kind + "' (allowed: "
                    + String.join(", ", NAMES) + ")");
        };
    }

    public static Initializer parse(String kind, double scale) {
        return parse(kind, scale, 0);
    }

    /**
     * Fresh noise: this p0 for uniform and gaussian; for persistent, the uniform noise a new bank chain starts
     * from; for data (which has no noise of its own), Uniform[-scale, scale]. Fresh chains of a trained model
     * (sample grids, long runs) start here.
     */
    public NDArray draw(NDManager manager, Shape shape, RandomTensors random) {
        return kind == Kind.GAUSSIAN
                ? random.normal(manager, shape).muli((float) scale)
                : random.uniform(manager, shape, (float) -scale, (float) scale);
    }
}
