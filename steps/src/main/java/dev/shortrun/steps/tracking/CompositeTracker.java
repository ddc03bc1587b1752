package dev.shortrun.steps.tracking;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes every run locally and also to MLflow. A run's id is the local one (its name); its URL is MLflow's page.
 * Local failures (a full disk) propagate; MLflow never throws for an outage, it queues.
 */
final class CompositeTracker implements Tracker {
    private final LocalTracker local;
    private final MlflowTracker mlflow;
    private final Map<String, String> mlflowIdByLocalId = new ConcurrentHashMap<>();

    CompositeTracker(LocalTracker local, MlflowTracker mlflow) {
        this.local = local;
        this.mlflow = mlflow;
    }

    @Override
    public RunHandle startRun(
            String experiment, String runName, Map<String, String> tags, String parentRunId, Start start) {
        RunHandle localRun = local.startRun(experiment, runName, tags, parentRunId, start);
        // A parent started through this tracker is known by its local id; MLflow needs its own (or placeholder) id.
        String mlflowParent = parentRunId == null ? null : mlflowIdByLocalId.getOrDefault(parentRunId, parentRunId);
        RunHandle mlflowRun = mlflow.startRun(experiment, runName, tags, mlflowParent, start);
        mlflowIdByLocalId.put(localRun.id(), mlflowRun.id());
        return new CompositeRun(localRun, mlflowRun);
    }

    @Override
    public boolean delivered() {
        return local.delivered() && mlflow.delivered();
    }

    @Override
    public void close() {
        try {
            local.close();
        } finally {
            mlflow.close();
        }
    }
}
