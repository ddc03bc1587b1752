package dev.shortrun.model.sampling;

/**
 * The Langevin update {@code x <- x + stepSize * grad f(x) + noiseStd * N(0, I)}, run for K steps, with K fixed
 * ({@code kMin == kMax}) or drawn uniformly from [kMin, kMax] each training iteration (reply to reviewers).
 * The seed code uses stepSize 1 and noiseStd 0.01 (the "scaled energy" of the Anatomy paper, Appendix A).
 */
public record LangevinConfig(double stepSize, double noiseStd, int kMin, int kMax) {
    public LangevinConfig {
        if (!(stepSize > 0) || !Double.isFinite(stepSize)) {
            throw new IllegalArgumentException("Langevin step size must be a positive number, got " + stepSize);
        }
        if (!(noiseStd >= 0) || !Double.isFinite(noiseStd)) {
            throw new IllegalArgumentException("Langevin noise std must be >= 0, got " + noiseStd);
        }
        if (kMin < 0 || kMax < kMin) {
            throw new IllegalArgumentException("need 0 <= K_min <= K_max, got K_min=" + kMin + ", K_max=" + kMax);
        }
    }

    /** The short-run paper's defaults: step 1, noise 0.01, K steps. */
    public static LangevinConfig shortRun(int k) {
        return new LangevinConfig(1.0, 0.01, k, k);
    }

    public boolean fixedK() {
        return kMin == kMax;
    }
}
