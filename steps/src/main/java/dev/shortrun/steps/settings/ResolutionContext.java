package dev.shortrun.steps.settings;

import dev.shortrun.model.data.DatasetFormats;
import dev.shortrun.model.learning.TrainConfig;

import java.util.Map;

/**
 * The {@link DefaultContext} of one resolution, filled in as the run's settings are resolved (the dataset first,
 * then the training configuration), or all at once from a checkpoint for the commands that read one.
 */
public final class ResolutionContext implements DefaultContext {
    private final Map<String, String> env;
    private String pipeline;
    private String dataset;
    private TrainConfig train;

    public ResolutionContext(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** A trained run's context: its dataset and training configuration, as stored in its checkpoint. */
    public static ResolutionContext ofTrained(TrainConfig train, Map<String, String> env) {
        ResolutionContext context = new ResolutionContext(env);
        context.pipeline = train.data().dataset();
        context.dataset = train.data().dataset();
        context.train = train;
        return context;
    }

    /** The pipeline's name, once resolved (a sweep's points belong to the sweep). */
    public void pipeline(String name) {
        this.pipeline = name;
    }

    void dataset(String name) {
        this.dataset = name;
    }

    void train(TrainConfig config) {
        this.train = config;
    }

    @Override
    public String dataset() {
        if (dataset == null) {
            throw new IllegalStateException("a default asked for the dataset before dataset.name was resolved");
        }
        return dataset;
    }

    @Override
    public boolean toy() {
        return DatasetFormats.get(dataset()).isToy();
    }

    @Override
    public TrainConfig train() {
        if (train == null) {
            throw new IllegalStateException("a default asked for the training configuration before it was resolved");
        }
        return train;
    }

    @Override
    public String pipeline() {
        if (pipeline == null) {
            throw new IllegalStateException("a default asked for the pipeline's name before it was resolved");
        }
        return pipeline;
    }

    @Override
    public String env(String name) {
        return env.get(name);
    }
}
