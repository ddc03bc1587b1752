package dev.shortrun.model.learning;

import dev.shortrun.model.data.DataConfig;
import dev.shortrun.model.nets.NetConfig;
import dev.shortrun.model.sampling.LangevinConfig;

/**
 * A fully resolved training run: stored in every checkpoint, so a run can be resumed or replayed from it alone.
 *
 * @param iterations      total learning iterations
 * @param checkpointEvery write a checkpoint every this many iterations (and at the end)
 * @param gridEvery       write a picture of the current samples every this many iterations
 * @param onDivergence    restart after a divergence ({@link DivergencePolicy}), or null to stop (the default; null
 *                        is left out of the JSON, so runs without a policy keep their checkpoints' and specs' bytes)
 */
public record TrainConfig(DataConfig data, NetConfig net, LangevinConfig langevin, LearnerConfig learner,
                          long seed, long iterations, int checkpointEvery, int gridEvery,
                          DivergencePolicy onDivergence) {
    public static final long DEFAULT_ITERATIONS = 100_000;
    public static final int DEFAULT_CHECKPOINT_EVERY = 1000;
    public static final int DEFAULT_GRID_EVERY = 100;

    /** Default seed: 1 for images, the Anatomy toy code's 123. */
    public static long defaultSeed(boolean toy) {
        return toy ? 123L : 1L;
    }

    public TrainConfig {
        if (data == null || net == null || langevin == null || learner == null) {
            throw new IllegalArgumentException("data, net, langevin and learner settings are required");
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations must be >= 0, got " + iterations);
        }
        if (checkpointEvery < 1 || gridEvery < 1) {
            throw new IllegalArgumentException("checkpoint and grid cadences must be >= 1, got "
                    + checkpointEvery + " and " + gridEvery);
        }
    }

    /** A run that stops when it diverges. */
    public TrainConfig(DataConfig data, NetConfig net, LangevinConfig langevin, LearnerConfig learner, long seed,
                       long iterations, int checkpointEvery, int gridEvery) {
        this(data, net, langevin, learner, seed, iterations, checkpointEvery, gridEvery, null);
    }

    public TrainConfig withIterations(long total) {
        return new TrainConfig(data, net, langevin, learner, seed, total, checkpointEvery, gridEvery, onDivergence);
    }

    /** The same run with another divergence policy (null: stop). */
    public TrainConfig withOnDivergence(DivergencePolicy policy) {
        return new TrainConfig(data, net, langevin, learner, seed, iterations, checkpointEvery, gridEvery, policy);
    }

    /** The run as a restart continues it: its whole learning-rate schedule times {@code factor}. */
    public TrainConfig withLrTimes(double factor) {
        LearnerConfig l = learner;
        LearnerConfig scaled = new LearnerConfig(l.batch(), l.sigma(), l.lr().times(factor), l.optimizer(), l.init(),
                l.divergenceBound(), l.epsilon());
        return new TrainConfig(data, net, langevin, scaled, seed, iterations, checkpointEvery, gridEvery,
                onDivergence);
    }
}
