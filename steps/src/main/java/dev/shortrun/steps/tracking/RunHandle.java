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

    /** Flushes everything, then marks the run FINISHED, FAILED or KILLED. */
    void finish(String status);

    /**
     * Flushes what is buffered; the run stays open unless {@link #finish(String)} was called. A run that had ended
     * and was resumed only to add records (a checkpoint step's outcome) gets its earlier status back.
     */
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
