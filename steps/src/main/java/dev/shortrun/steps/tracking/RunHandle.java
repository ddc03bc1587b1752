package dev.shortrun.steps.tracking;

import java.nio.file.Path;
import java.util.Map;

/** One run being recorded. Logging never throws because a tracking server is away; it buffers instead. */
public interface RunHandle extends AutoCloseable {

    /** Terminal statuses accepted by {@link #finish(String)}, the same names MLflow uses. */
    String FINISHED = "FINISHED";
    String FAILED = "FAILED";
    String KILLED = "KILLED";

    /** Local id (the run name) or MLflow run id. */
    String id();

    /** Where a user looks at the run: a directory path, or the MLflow UI address of the run. */
    String url();

    void logParams(Map<String, String> params);

    /** Buffered; sent in batches. */
    void logMetrics(long step, Map<String, Double> values);

    /**
     * From now on, leaves out metric points at steps that an earlier attempt of this run already recorded for that
     * key (up to the key's last recorded step). For a sequence logged in step order, as training is: a training
     * resumed from its checkpoint recomputes the steps the killed attempt logged after it. Not for metrics logged per
     * checkpoint, which may arrive in any order. Call it before logging metrics.
     */
    void skipStepsAlreadyRecorded();

    /** Copies {@code file} into the run under {@code artifactDir} ("" = the run's artifact root). */
    void logArtifact(Path file, String artifactDir);

    void setTag(String key, String value);

    /** Records the data set the run learns from (in MLflow: a dataset input of the run). */
    void logDataset(DatasetInput dataset);

    /**
     * Logs a PNG as the picture at {@code step} of the series {@code key} (letters, digits, '_', '-', '.', ' ' and
     * '/'): in MLflow's image layout, so its UI shows the series with a step slider and side by side across runs.
     */
    void logImage(Path png, String key, long step);

    /** Logs a model (in MLflow: a logged model of the run, registered when it names a registered model). */
    void logModel(LoggedModel model);

    /** Flushes everything, then marks the run FINISHED, FAILED or KILLED, ending now. */
    default void finish(String status) {
        finish(status, System.currentTimeMillis());
    }

    /**
     * Flushes everything, then marks the run FINISHED, FAILED or KILLED with the given end time (a run reused as it
     * ended earlier keeps its end time).
     */
    void finish(String status, long endTimeMs);

    /** Flushes what is buffered; the run keeps its status unless {@link #finish} was called. */
    @Override
    void close();

    /** Whether {@code status} is one a run ends with. */
    static boolean ended(String status) {
        return FINISHED.equals(status) || FAILED.equals(status) || KILLED.equals(status);
    }

    static String checkStatus(String status) {
        if (!ended(status)) {
            throw new IllegalArgumentException(
                    "run status must be FINISHED, FAILED or KILLED, got '" + status + "'");
        }
        return status;
    }
}
