package dev.shortrun.model.learning;

import dev.shortrun.model.util.Rng;

/**
 * What a run does when it diverges, instead of stopping: go back to its last good checkpoint (or its start, before
 * the first) and continue with a smaller learning rate and/or a new seed, at most {@code restarts} times. This is
 * what the papers' users do by hand (REFERENCE.md sec. 5). A run without a policy stops (the default).
 *
 * @param restarts how many restarts a run may make; the divergence after the last one stops it
 * @param lrFactor each restart multiplies the learning rate (its whole schedule) by this, in (0, 1]
 * @param newSeed  whether each restart continues with a new random stream ({@link #seed}) instead of the
 *                 checkpoint's; the new stream is derived from the run's seed and the restart's number, so a
 *                 rerun makes the same decisions
 */
public record DivergencePolicy(int restarts, double lrFactor, boolean newSeed) {
    public DivergencePolicy {
        if (restarts < 1) {
            throw new IllegalArgumentException("a restart budget must be >= 1, got " + restarts);
        }
        if (!(lrFactor > 0 && lrFactor <= 1)) {
            throw new IllegalArgumentException("the restart lr factor must be in (0, 1], got " + lrFactor);
        }
        if (!newSeed && lrFactor == 1) {
            throw new IllegalArgumentException("a restart with the same seed and lr factor 1 would diverge again "
                    + "exactly as before (a run is deterministic): give a new seed or an lr factor below 1");
        }
    }

    /** The seed of restart {@code number} (1-based) of a run seeded {@code runSeed}: SplitMix64 of both. */
    public static long seed(long runSeed, int number) {
        Rng rng = new Rng(runSeed ^ 0x5DEECE66DL);
        long s = 0;
        for (int i = 0; i < number; i++) {
            s = rng.nextLong();
        }
        return s;
    }
}
