package dev.shortrun.steps;

import com.google.gson.Gson;

/**
 * What the train step emits for every checkpoint: where it is, after which iteration, and the run it belongs to
 * (the resolved spec travels along, so downstream steps need nothing else).
 *
 * @param trackingRunId the tracker's id of the run (MLflow run id, or the local run name)
 * @param last          true for the run's final checkpoint
 */
public record CheckpointRef(String checkpointJson, long iteration, boolean last, String trackingRunId,
                            String specJson) {
    private static final Gson GSON = new Gson();

    public String toJson() {
        return GSON.toJson(this);
    }

    public static CheckpointRef fromJson(String json) {
        return GSON.fromJson(json, CheckpointRef.class);
    }

    public RunSpec spec() {
        return RunSpec.fromJson(specJson);
    }
}
