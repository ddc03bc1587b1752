package dev.shortrun.model.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.torch.RandomTensors;

import java.util.Locale;

/**
 * Where chains start: p0 = Uniform[-1, 1]^D (short-run paper) or scale * N(0, I) (Anatomy's "gaussian" init).
 * A given tensor is passed to the sampler directly.
 */
public record Initializer(Kind kind, double scale) {
    public enum Kind { UNIFORM, GAUSSIAN }

    public Initializer {
        if (kind == null) {
            throw new IllegalArgumentException("initialisation kind is required");
        }
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("initialisation scale must be positive, got " + scale);
        }
    }

    public static Initializer uniform() {
        return new Initializer(Kind.UNIFORM, 1.0);
    }

    public static Initializer gaussian(double scale) {
        return new Initializer(Kind.GAUSSIAN, scale);
    }

    /** Parses "uniform" or "gaussian" (scale given separately). */
    public static Initializer parse(String kind, double scale) {
        return switch (kind.trim().toLowerCase(Locale.ROOT)) {
            case "uniform" -> new Initializer(Kind.UNIFORM, scale);
            case "gaussian" -> new Initializer(Kind.GAUSSIAN, scale);
            default -> throw new IllegalArgumentException("unknown init '" + kind + "' (allowed: uniform, gaussian)");
        };
    }

    public NDArray draw(NDManager manager, Shape shape, RandomTensors random) {
        return kind == Kind.UNIFORM
                ? random.uniform(manager, shape, (float) -scale, (float) scale)
                : random.normal(manager, shape).muli((float) scale);
    }
}
