package dev.shortrun.model.util;

/**
 * SplitMix64: a small, fast generator whose entire state is one {@code long}, so a run's randomness can be stored
 * in a checkpoint and replayed bit for bit. Not thread-safe: give each run (or stream) its own instance.
 */
public final class Rng {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final float TWO_POW_M24 = 0x1.0p-24f;

    private long state;

    public Rng(long seed) {
        this.state = seed;
    }

    /** The current state; {@code new Rng(rng.state())} continues exactly where {@code rng} is. */
    public long state() {
        return state;
    }

    public long nextLong() {
        long z = (state += GOLDEN);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform integer in [0, bound), without modulo bias. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long limit = Long.remainderUnsigned(-1L, bound);
        while (true) {
            long r = nextLong();
            if (Long.compareUnsigned(r, -1L - limit) <= 0 || limit == bound - 1) {
                return (int) Long.remainderUnsigned(r, bound);
            }
        }
    }

    /** Standard normal by Box-Muller (for the few scalar draws made in Java; tensors use {@link #fillUniform}). */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble();
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /**
     * Fills {@code out} with floats uniform on a 2^-24 lattice: in [0, 1) when {@code excludeZero} is false,
     * in (0, 1] when it is true (for logarithms). Two values per 64-bit draw keep this cheap next to a conv step.
     */
    public void fillUniform(float[] out, boolean excludeZero) {
        int offset = excludeZero ? 1 : 0;
        int i = 0;
        for (; i + 1 < out.length; i += 2) {
            long r = nextLong();
            out[i] = ((int) (r >>> 40) + offset) * TWO_POW_M24;
            out[i + 1] = (((int) (r >>> 8) & 0xFFFFFF) + offset) * TWO_POW_M24;
        }
        if (i < out.length) {
            out[i] = ((int) (nextLong() >>> 40) + offset) * TWO_POW_M24;
        }
    }

    /** An independent generator seeded from this one (for a second stream whose consumption must not interfere). */
    public Rng split() {
        return new Rng(nextLong() ^ 0x632BE59BD9B4E019L);
    }
}
