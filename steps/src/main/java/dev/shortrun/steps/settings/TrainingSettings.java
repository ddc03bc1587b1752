package dev.shortrun.steps.settings;

import dev.shortrun.model.data.DataConfig;
import dev.shortrun.model.learning.LearnerConfig;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.nets.NetConfig;
import dev.shortrun.model.sampling.Initializer;
import dev.shortrun.model.sampling.LangevinConfig;

import java.util.List;

/**
 * The training configuration of a run from its dataset, model, sampler, learner and checkpoints settings, with the
 * papers' defaults: the short-run seed code's for images, the Anatomy paper's non-convergent toy config for 2D toys.
 * Pipelines and {@code shortrun train} both resolve it here.
 */
public final class TrainingSettings {
    /** The sections that make up a training configuration, in spec order. */
    public static final List<Section> SECTIONS = List.of(DatasetSettings.SECTION, ModelSettings.SECTION,
            SamplerSettings.SECTION, LearnerSettings.SECTION, CheckpointSettings.SECTION);

    private TrainingSettings() {
    }

    /** Resolves the training configuration; the reader's context learns the dataset and, at the end, the config. */
    public static TrainConfig resolve(SettingsReader r, ResolutionContext context) {
        String dataset = DatasetSettings.name(r);
        context.dataset(dataset);
        boolean toy = context.toy();
        DataConfig data = DatasetSettings.resolve(r, dataset, toy);
        NetConfig net = ModelSettings.resolve(r, data, toy);
        // Keys of the Anatomy parametrisation are read (and so recorded and hashed) only when given: specs without
        // them keep their hashes.
        double epsilon = SamplerSettings.epsilon(r);
        LangevinConfig langevin = SamplerSettings.langevin(r, epsilon);
        Initializer init = SamplerSettings.init(r, toy, data.imageSize());
        long iterations = r.get(LearnerSettings.ITERATIONS);
        long seed = r.get(LearnerSettings.SEED);
        LearnerConfig learner = LearnerSettings.resolve(r, init, epsilon);
        int checkpointEvery = r.get(CheckpointSettings.EVERY);
        int gridEvery = r.get(CheckpointSettings.GRID_EVERY);
        TrainConfig train = new TrainConfig(data, net, langevin, learner, seed, iterations, checkpointEvery,
                gridEvery);
        context.train(train);
        return train;
    }
}
