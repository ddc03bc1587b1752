package dev.shortrun.model.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.torch.RandomTensors;

import java.util.Locale;

/**
 * Where chains start: p0 = Uniform[-1, 1]^D (short-run paper) or scale * N(0, I) (Anatomy's "gaussian" init), or
 * the low-resolution version of data images for super-resolution ({@link LowResolution}; {@code lowresSize} is its
 * side length, 0 for the other kinds). A given tensor is passed to the sampler directly.
 */
public record Initializer(Kind kind, double scale, int lowresSize) {
    public enum Kind { UNIFORM, GAUSSIAN, LOWRES }

    public Initializer {
        if (kind == null) {
            throw new IllegalArgumentException("initialisation kind is required");
        }
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("initialisation scale must be positive, got " + scale);
        }
        if (kind == Kind.LOWRES && lowresSize < 1) {
            throw new IllegalArgumentException("low-resolution init needs a size >= 1 (e.g. 4, 8, 16), got "
                    + lowresSize);
        }
    }

    public Initializer(Kind kind, double scale) {
        this(kind, scale, 0);
    }

    /** Super-resolution p0: data images pooled to size x size, upsampled back (nearest). */
    public static Initializer lowres(int size) {
        return new Initializer(Kind.LOWRES, 1.0, size);
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

    public static Initializer uniform() {
        return new Initializer(Kind.UNIFORM, 1.0);
    }

    public static Initializer gaussian(double scale) {
        return new Initializer(Kind.GAUSSIAN, scale);
    }

    /** Parses "uniform", "gaussian" or "lowres" (scale, low-resolution size given separately). */
    public static Initializer parse(String kind, double scale, int lowresSize) {
        return kind.trim().equalsIgnoreCase("lowres") ? lowres(lowresSize) : parse(kind, scale);
    }

    /** Parses "uniform" or "gaussian" (scale given separately). */
    public static Initializer parse(String kind, double scale) {
        return switch (kind.trim().toLowerCase(Locale.ROOT)) {
            case "uniform" -> new Initializer(Kind.UNIFORM, scale);
            case "gaussian" -> new Initializer(Kind.GAUSSIAN, scale);
            default -> throw new IllegalArgumentException("unknown init '" + kind + "' (allowed: uniform, gaussian, lowres)");
        };
    }

    public NDArray draw(NDManager manager, Shape shape, RandomTensors random) {
        if (needsData()) {
            throw new IllegalStateException(kind + " init starts from data images, not from noise");
        }
        return kind == Kind.UNIFORM
                ? random.uniform(manager, shape, (float) -scale, (float) scale)
                : random.normal(manager, shape).muli((float) scale);
    }
}
