package dev.shortrun.steps.tracking;

import java.util.Map;

/** Where runs, their parameters, metrics, tags and artifacts are recorded: local files, MLflow, or both. */
public interface Tracker extends AutoCloseable {

    /**
     * Starts a run, or with {@code resume=true} finds the newest run of that name in the experiment and continues it
     * (a fresh one is started when none exists).
     *
     * @param parentRunId id of a run from this tracker that groups this one (a sweep), or null
     */
    RunHandle startRun(String experiment, String runName, Map<String, String> tags, String parentRunId, boolean resume);

    /** Starts a new run (no resume). */
    default RunHandle startRun(String experiment, String runName, Map<String, String> tags, String parentRunId) {
        return startRun(experiment, runName, tags, parentRunId, false);
    }

    /**
     * After {@link #close}: whether everything logged reached its destination (false when a tracking server stayed
     * unreachable until the tracker closed and points were lost).
     */
    default boolean delivered() {
        return true;
    }

    /** Flushes what every run still holds and releases the tracker's resources. */
    @Override
    void close();
}
