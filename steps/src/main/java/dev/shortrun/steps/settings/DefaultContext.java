package dev.shortrun.steps.settings;

import dev.shortrun.model.learning.TrainConfig;

/**
 * What defaults may depend on, known once the run's earlier settings are resolved: the data set (2D toy or images)
 * first, the whole training configuration once it is built (the training K and seed, for the steps' defaults).
 */
public interface DefaultContext {
    /** The dataset's registered name; known first. */
    String dataset();

    /** Whether the dataset is a 2D toy (the Anatomy paper's toy defaults apply). */
    boolean toy();

    /** The run's training configuration; known once dataset, model, sampler, learner and checkpoints are resolved. */
    TrainConfig train();

    /** The pipeline's (or sweep's) name. */
    String pipeline();

    /** An environment variable, or null. */
    String env(String name);
}
