package dev.shortrun.model.longrun;

import dev.shortrun.model.torch.Precision;

import java.util.Locale;

/**
 * How a long-run diagnosis samples.
 *
 * @param steps   chain length L (the Anatomy paper: 100,000 for images)
 * @param chains  chains per start (noise and/or data)
 * @param sampler plain Langevin or MALA
 * @param eps     the paper's step eps on U = -f/T; null = the training chain's own step (its noise n)
 * @param starts  start chains from p0 noise, from data, or both
 * @param seed    seed of starts, data draw and chain noise
 * @param precision of grad f inside the chains ({@link Precision}; states, updates and MALA's f stay float32);
 *                  null: the training chain's
 */
public record LongRunSettings(int steps, int chains, Sampler sampler, Double eps, Starts starts, long seed,
                              Precision precision) {
    /** Default chain length for images, as the paper's long-run chains during training. */
    public static final int IMAGE_STEPS = 100_000;
    /** Default chain length for 2D toys: they mix in far fewer steps. */
    public static final int TOY_STEPS = 10_000;

    public enum Sampler { PLAIN, MALA }

    public enum Starts {
        NOISE, DATA, BOTH;

        boolean noise() {
            return this != DATA;
        }

        boolean data() {
            return this != NOISE;
        }
    }

    public LongRunSettings {
        if (steps < 1) {
            throw new IllegalArgumentException("long-run steps must be >= 1, got " + steps);
        }
        if (chains < 1) {
            throw new IllegalArgumentException("long-run chains must be >= 1, got " + chains);
        }
        if (sampler == null || starts == null) {
            throw new IllegalArgumentException("long-run sampler and starts are required");
        }
        if (eps != null && !(eps > 0 && Double.isFinite(eps))) {
            throw new IllegalArgumentException("long-run eps must be a positive number, got " + eps);
        }
    }

    /** Chains in the training chain's precision. */
    public LongRunSettings(int steps, int chains, Sampler sampler, Double eps, Starts starts, long seed) {
        this(steps, chains, sampler, eps, starts, seed, null);
    }

    public static Sampler parseSampler(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "plain", "langevin" -> Sampler.PLAIN;
            case "mala" -> Sampler.MALA;
            default -> throw new IllegalArgumentException("unknown long-run sampler '" + name
                    + "' (allowed: plain, mala)");
        };
    }

    public static Starts parseStarts(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "noise" -> Starts.NOISE;
            case "data" -> Starts.DATA;
            case "both" -> Starts.BOTH;
            default -> throw new IllegalArgumentException("unknown long-run start '" + name
                    + "' (allowed: noise, data, both)");
        };
    }
}
