package dev.shortrun.model.sampling;

import dev.shortrun.model.torch.Precision;

/**
 * The Langevin update {@code x <- x + stepSize * grad f(x) + noiseStd * N(0, I)}, run for K steps, with K fixed
 * ({@code kMin == kMax}) or drawn uniformly from [kMin, kMax] each training iteration (reply to reviewers).
 * The seed code uses stepSize 1 and noiseStd 0.01 (the "scaled energy" of the Anatomy paper, Appendix A).
 *
 * @param precision the arithmetic of the network passes inside a chain, null for fp32 ({@link #chainPrecision()}):
 *                  checkpoint JSON leaves a null out, so fp32 checkpoints read and write as they did before the
 *                  setting existed. The state and the update are float32 either way.
 */
public record LangevinConfig(double stepSize, double noiseStd, int kMin, int kMax, Precision precision) {
    public LangevinConfig {
        precision = precision == Precision.FP32 ? null : precision;
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

    /** A float32 chain. */
    public LangevinConfig(double stepSize, double noiseStd, int kMin, int kMax) {
        this(stepSize, noiseStd, kMin, kMax, Precision.FP32);
    }

    /** The arithmetic of the network passes inside the chain: fp32 unless bf16 was asked for. */
    public Precision chainPrecision() {
        return precision == null ? Precision.FP32 : precision;
    }

    /** This chain computing in {@code precision}. */
    public LangevinConfig withPrecision(Precision precision) {
        return new LangevinConfig(stepSize, noiseStd, kMin, kMax, precision);
    }

    /** The seed code's chain: K = 100 steps of size 1 on grad f with noise std 0.01. */
    public static final int DEFAULT_K = 100;
    public static final double DEFAULT_STEP_SIZE = 1.0;
    public static final double DEFAULT_NOISE_STD = 0.01;

    /** The short-run paper's defaults: step 1, noise 0.01, K steps. */
    public static LangevinConfig shortRun(int k) {
        return new LangevinConfig(DEFAULT_STEP_SIZE, DEFAULT_NOISE_STD, k, k);
    }

    /**
     * The Anatomy paper's Algorithm 1, {@code X <- X - (eps^2/2) dU/dX + eps tau Z}, written on the scaled energy of
     * its Appendix A, F = (eps^2/2) U = -f: the step on grad f is 1 and the noise std is eps * tau. (The loss and SGD
     * learning rate carry the matching factors: {@link dev.shortrun.model.learning.LearnerConfig#lossScale()}.)
     *
     * @param tau the noise indicator: 1 for Langevin, 0 for noiseless gradient descent on U
     */
    public static LangevinConfig anatomy(double epsilon, int tau, int kMin, int kMax) {
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("Langevin epsilon must be positive, got " + epsilon);
        }
        if (tau != 0 && tau != 1) {
            throw new IllegalArgumentException("the noise indicator tau must be 0 or 1, got " + tau);
        }
        return new LangevinConfig(1.0, epsilon * tau, kMin, kMax);
    }

    /**
     * "The training K": the chain length a trained model's samples are drawn with when nothing else is asked (K, or
     * K_max when K was drawn per iteration). Every sampler of a checkpoint (sample, score, generator tasks, the
     * transition strip's default) uses this one.
     */
    public int trainingK() {
        return kMax;
    }

    public boolean fixedK() {
        return kMin == kMax;
    }
}
