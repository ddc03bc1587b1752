package dev.shortrun.model.learning;

import dev.shortrun.model.sampling.Initializer;
import dev.shortrun.model.sampling.LangevinConfig;

/**
 * Hyperparameters of Algorithm 1 (short-run paper). Defaults follow the seed code: batch 64, sigma 0.03,
 * Adam lr 1e-4 with betas (0.9, 0.999), uniform p0.
 *
 * @param batch            m, examples (and chains) per iteration
 * @param sigma            data noise: x+ = x + sigma * N(0, I) (not the Langevin noise)
 * @param lr               learning rate schedule
 * @param optimizer        Adam or SGD
 * @param init             p0 for the negative chains
 * @param divergenceBound  training stops when |f(x+)|, |f(x-)| or their difference exceeds this
 * @param epsilon          the Anatomy paper's Langevin step eps when the run uses its parametrisation (Algorithm 1
 *                         with the scaled energy of Appendix A), else 0. When positive the loss is multiplied by
 *                         2/eps^2, exactly as the Anatomy code does for Adam and SGD alike. Checkpoints from before
 *                         this field read it as 0, which is what they computed.
 */
public record LearnerConfig(int batch, Schedule sigma, Schedule lr, OptimizerConfig optimizer, Initializer init,
                            double divergenceBound, double epsilon) {
    public LearnerConfig {
        if (batch < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batch);
        }
        if (sigma == null || lr == null || optimizer == null || init == null) {
            throw new IllegalArgumentException("sigma, lr, optimizer and init are required");
        }
        if (!(divergenceBound > 0)) {
            throw new IllegalArgumentException("divergence bound must be positive, got " + divergenceBound);
        }
        if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("Langevin epsilon must be >= 0 (0 = not the Anatomy "
                    + "parametrisation), got " + epsilon);
        }
    }

    /** The short-run parametrisation (no loss scaling). */
    public LearnerConfig(int batch, Schedule sigma, Schedule lr, OptimizerConfig optimizer, Initializer init,
                         double divergenceBound) {
        this(batch, sigma, lr, optimizer, init, divergenceBound, 0.0);
    }

    /** The factor on the loss: 2/eps^2 in the Anatomy parametrisation, else 1. */
    public double lossScale() {
        return epsilon > 0 ? 2 / (epsilon * epsilon) : 1.0;
    }

    /**
     * The Anatomy code's SGD learning rate for a given gamma0: {@code (eps^2/2) * gamma0}. It cancels the loss
     * scale 2/eps^2, so SGD's actual weight step is gamma0 times the gradient of the unscaled loss.
     */
    public static double sgdLearningRate(double gamma0, double epsilon) {
        return epsilon * epsilon / 2 * gamma0;
    }

    /**
     * c in U(x) = -c f(x): the energy U of the Anatomy paper's Langevin {@code X <- X - (eps^2/2) dU/dX + eps Z}
     * that the run's update {@code x <- x + s grad f + n Z} simulates. Matching drift and noise gives eps = n and
     * (eps^2/2) c = s, so c = 2 s / eps^2, with eps the run's Anatomy epsilon if it has one (the noise may be off,
     * tau = 0), else its noise std. For the short-run seed code (s = 1, n = 0.01) c = 20,000. A chain without noise
     * and without an epsilon has no such U; then c = 1 (U = -f).
     */
    public double energyScale(LangevinConfig langevin) {
        double eps = epsilon > 0 ? epsilon : langevin.noiseStd();
        return eps > 0 ? 2 * langevin.stepSize() / (eps * eps) : 1.0;
    }

    /** The seed code's Adam learning rate. */
    public static final double DEFAULT_LR = 1e-4;
    /** |energy| past which training stops as diverged. */
    public static final double DEFAULT_DIVERGENCE_BOUND = 1e6;

    /** Default batch m: the seed code's 64 for images, the Anatomy toy code's 100. */
    public static int defaultBatch(boolean toy) {
        return toy ? 100 : 64;
    }

    /** Default data noise sigma: the seed code's 0.03 for images, none for the Anatomy toys. */
    public static double defaultSigma(boolean toy) {
        return toy ? 0.0 : 0.03;
    }

    public static LearnerConfig shortRun() {
        return new LearnerConfig(defaultBatch(false), Schedule.constant(defaultSigma(false)),
                Schedule.constant(DEFAULT_LR), OptimizerConfig.adam(), Initializer.uniform(), DEFAULT_DIVERGENCE_BOUND);
    }
}
