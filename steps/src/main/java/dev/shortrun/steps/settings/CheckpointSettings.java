package dev.shortrun.steps.settings;

import dev.shortrun.model.learning.TrainConfig;

/** {@code checkpoints.*}: how often a run saves its state and a picture of its samples. */
public final class CheckpointSettings {
    public static final Section SECTION = new Section("checkpoints", "how often a run saves its state and pictures",
            true);

    public static final Setting<Integer> EVERY = SECTION.add(Setting.integer("every", "Checkpoint cadence in "
            + "iterations (there is always one at the end).").min(1).defaultValue(TrainConfig.DEFAULT_CHECKPOINT_EVERY)
            .flags("--checkpoint-every"));
    public static final Setting<Integer> GRID_EVERY = SECTION.add(Setting.integer("grid_every", "Cadence of the "
            + "picture of the current samples, in iterations.").min(1).defaultValue(TrainConfig.DEFAULT_GRID_EVERY)
            .flags("--grid-every"));

    private CheckpointSettings() {
    }
}
