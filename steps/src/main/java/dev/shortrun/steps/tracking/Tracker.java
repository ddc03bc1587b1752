package dev.shortrun.steps.tracking;

import java.util.Map;

/** Where runs, their parameters, metrics, tags and artifacts are recorded: local files, MLflow, or both. */
public interface Tracker extends AutoCloseable {
    /**
     * The tag that tells apart runs of the same name: a run folder's key ({@code RunState.runKey}). When the tags
     * given to {@link #startRun} hold it, the run continued or added to is the newest of that name with that key.
     */
    String RUN_KEY_TAG = "shortrun.run_key";

    /** What {@link #startRun} does with a run recorded earlier under the same name (and key). */
    enum Start {
        /** Records a new run. */
        NEW,
        /** Continues the newest earlier run: it is RUNNING again until it is finished (a new run when none). */
        CONTINUE,
        /**
         * Adds records to the newest earlier run without changing its status: a checkpoint step's outcome, a
         * history logged again, a run's end (a new run when none).
         */
        ADD
    }

    /**
     * Starts a run, continues one or adds to one, as {@code start} says.
     *
     * @param parentRunId id of a run from this tracker that groups this one (a sweep), or null
     */
    RunHandle startRun(String experiment, String runName, Map<String, String> tags, String parentRunId, Start start);

    /** Starts a new run, or with {@code resume=true} continues the newest of that name ({@link Start#CONTINUE}). */
    default RunHandle startRun(String experiment, String runName, Map<String, String> tags, String parentRunId,
            boolean resume) {
        return startRun(experiment, runName, tags, parentRunId, resume ? Start.CONTINUE : Start.NEW);
    }

    /** Starts a new run (no resume). */
    default RunHandle startRun(String experiment, String runName, Map<String, String> tags, String parentRunId) {
        return startRun(experiment, runName, tags, parentRunId, Start.NEW);
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
