package dev.shortrun.model.learning;

import dev.shortrun.model.sampling.Initializer;

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
 */
public record LearnerConfig(int batch, Schedule sigma, Schedule lr, OptimizerConfig optimizer, Initializer init,
                            double divergenceBound) {
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
    }

    public static LearnerConfig shortRun() {
        return new LearnerConfig(64, Schedule.constant(0.03), Schedule.constant(1e-4), OptimizerConfig.adam(),
                Initializer.uniform(), 1e6);
    }
}
