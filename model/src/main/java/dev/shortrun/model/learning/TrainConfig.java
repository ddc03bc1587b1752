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
 */
public record TrainConfig(DataConfig data, NetConfig net, LangevinConfig langevin, LearnerConfig learner,
                          long seed, long iterations, int checkpointEvery, int gridEvery) {
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

    public TrainConfig withIterations(long total) {
        return new TrainConfig(data, net, langevin, learner, seed, total, checkpointEvery, gridEvery);
    }
}
