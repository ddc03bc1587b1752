package dev.shortrun.model.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.torch.RandomTensors;

import java.util.List;
import java.util.Locale;

/**
 * Where the negative chains start:
 * <ul>
 *   <li>{@code uniform}: p0 = Uniform[-scale, scale]^D (short-run paper, scale 1);</li>
 *   <li>{@code gaussian}: scale * N(0, I) (the Anatomy code's {@code noise_init_factor});</li>
 *   <li>{@code data}: a freshly drawn, noised data batch (contrastive divergence), as the Anatomy code's
 *       {@code sample_q()};</li>
 *   <li>{@code persistent}: a bank of chains started from Uniform[-scale, scale] noise; each iteration continues
 *       a random batch of them and writes the results back (see {@code learning.ChainStarts});</li>
 *   <li>{@code lowres}: the data image pooled to {@code lowresSize} and upsampled back (super-resolution, short-run
 *       paper Figure 8; see {@link LowResolution}).</li>
 * </ul>
 * Only the two noise kinds can be drawn here; the others need the learner's state or data.
 *
 * @param bankSize   chains in the persistent bank; 0 = the default (one per training image, 10,000 for 2D toys).
 *                   Ignored by the other kinds. Checkpoints from before this field read it as 0.
 * @param lowresSize side length of the low-resolution start ({@code lowres} only, else 0)
 */
public record Initializer(Kind kind, double scale, int bankSize, int lowresSize) {
    public enum Kind { UNIFORM, GAUSSIAN, DATA, PERSISTENT, LOWRES }

    /** The Anatomy code's {@code s_t_0_size} for 2D toys. */
    public static final int TOY_BANK_SIZE = 10_000;

    /** Default low-resolution side for {@code lowres} starts. */
    public static final int DEFAULT_LOWRES_SIZE = 8;

    /** Default chain start: uniform noise for images (seed code), gaussian for the Anatomy toys. */
    public static String defaultKind(boolean toy) {
        return toy ? "gaussian" : "uniform";
    }

    /** Default start scale: the Anatomy toys start their noise chains at 2x (and their bank uniform on [-1, 1]). */
    public static double defaultScale(boolean toy, String kind) {
        return toy && (kind.equals("gaussian") || kind.equals("uniform")) ? 2.0 : 1.0;
    }

    /** Names accepted by {@link #parse}. */
    public static final List<String> NAMES = List.of("uniform", "gaussian", "data", "persistent", "lowres");

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
        if (kind == Kind.LOWRES && lowresSize < 1) {
            throw new IllegalArgumentException("low-resolution init needs a size >= 1 (e.g. 4, 8, 16), got "
                    + lowresSize);
        }
    }

    public Initializer(Kind kind, double scale) {
        this(kind, scale, 0, 0);
    }

    public static Initializer uniform() {
        return new Initializer(Kind.UNIFORM, 1.0);
    }

    public static Initializer gaussian(double scale) {
        return new Initializer(Kind.GAUSSIAN, scale);
    }

    /** A bank of {@code bankSize} chains (0 = default) started from Uniform[-1, 1] noise. */
    public static Initializer persistent(int bankSize) {
        return new Initializer(Kind.PERSISTENT, 1.0, bankSize, 0);
    }

    /** Super-resolution p0: data images pooled to size x size, upsampled back (nearest). */
    public static Initializer lowres(int size) {
        return new Initializer(Kind.LOWRES, 1.0, 0, size);
    }

    /**
     * Parses one of {@link #NAMES}; the scale, the persistent bank size and the low-resolution size are given
     * separately (each only used by its kind).
     */
    public static Initializer parse(String kind, double scale, int bankSize, int lowresSize) {
        return switch (kind.trim().toLowerCase(Locale.ROOT)) {
            case "uniform" -> new Initializer(Kind.UNIFORM, scale);
            case "gaussian" -> new Initializer(Kind.GAUSSIAN, scale);
            case "data" -> new Initializer(Kind.DATA, scale);
            case "persistent" -> new Initializer(Kind.PERSISTENT, scale, bankSize, 0);
            case "lowres" -> lowres(lowresSize);
            default -> throw new IllegalArgumentException("unknown init '" + kind + "' (allowed: "
                    + String.join(", ", NAMES) + ")");
        };
    }

    public static Initializer parse(String kind, double scale) {
        return parse(kind, scale, 0, 0);
    }

    /** True when chains start from data images ({@link #fromData}) rather than from noise ({@link #draw}). */
    public boolean needsData() {
        return kind == Kind.LOWRES;
    }

    /** The chain starts for a batch of data images (kinds that {@link #needsData}). */
    public NDArray fromData(NDArray images) {
        if (kind != Kind.LOWRES) {
            throw new IllegalStateException(kind + " init does not start from data");
        }
        return LowResolution.start(images, lowresSize);
    }

    /**
     * Fresh noise: this p0 for uniform and gaussian; for persistent, the uniform noise a new bank chain starts
     * from; for data (which has no noise of its own), Uniform[-scale, scale]. Fresh chains of a trained model
     * (sample grids, long runs) start here. Low-resolution starts need data images ({@link #fromData}).
     */
    public NDArray draw(NDManager manager, Shape shape, RandomTensors random) {
        if (needsData()) {
            throw new IllegalStateException(kind + " init starts from data images, not from noise");
        }
        return kind == Kind.GAUSSIAN
                ? random.normal(manager, shape).muli((float) scale)
                : random.uniform(manager, shape, (float) -scale, (float) scale);
    }
}
