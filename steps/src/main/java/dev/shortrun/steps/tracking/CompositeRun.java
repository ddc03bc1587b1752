package dev.shortrun.steps.tracking;

import java.nio.file.Path;
import java.util.Map;

/** A run recorded in two places; see {@link CompositeTracker}. */
public final class CompositeRun implements RunHandle {
    private final RunHandle local;
    private final RunHandle mlflow;

    CompositeRun(RunHandle local, RunHandle mlflow) {
        this.local = local;
        this.mlflow = mlflow;
    }

    @Override
    public String id() {
        return local.id();
    }

    @Override
    public String url() {
        return mlflow.url();
    }

    /** The MLflow run id, or a placeholder while the server has not yet been reached. */
    public String mlflowRunId() {
        return mlflow.id();
    }

    /** The local run directory. */
    public String localPath() {
        return local.url();
    }

    @Override
    public void logParams(Map<String, String> params) {
        local.logParams(params);
        mlflow.logParams(params);
    }

    @Override
    public void logMetrics(long step, Map<String, Double> values) {
        local.logMetrics(step, values);
        mlflow.logMetrics(step, values);
    }

    @Override
    public void skipStepsAlreadyRecorded() {
        local.skipStepsAlreadyRecorded();
        mlflow.skipStepsAlreadyRecorded();
    }

    @Override
    public void logArtifact(Path file, String artifactDir) {
        local.logArtifact(file, artifactDir);
        mlflow.logArtifact(file, artifactDir);
    }

    @Override
    public void setTag(String key, String value) {
        local.setTag(key, value);
        mlflow.setTag(key, value);
    }

    @Override
    public void logDataset(DatasetInput dataset) {
        local.logDataset(dataset);
        mlflow.logDataset(dataset);
    }

    @Override
    public void logImage(Path png, String key, long step) {
        local.logImage(png, key, step);
        mlflow.logImage(png, key, step);
    }

    @Override
    public void logModel(LoggedModel model) {
        local.logModel(model);
        mlflow.logModel(model);
    }

    @Override
    public void finish(String status, long endTimeMs) {
        local.finish(status, endTimeMs);
        mlflow.finish(status, endTimeMs);
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
