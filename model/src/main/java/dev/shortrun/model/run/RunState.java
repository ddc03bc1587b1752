package dev.shortrun.model.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Where one run of a pipeline stands: its folder's {@code state.json} ({@link RunStateFile}). The command that
 * starts a pipeline queues it, the worker that trains it and the steps on its checkpoints move it on, and the
 * command's progress lines and {@code shortrun status} read it, from any process that sees the folder (a Flink
 * cluster's workers included).
 *
 * @param status     {@link #QUEUED} (waiting for a worker), {@link #RUNNING}, or how it ended: {@link #FINISHED},
 *                   {@link #FAILED}, {@link #KILLED}
 * @param runKey     binds the folder to its tracking records (the tag {@code shortrun.run_key}); a new folder gets a
 *                   new one, so a run started over is a new record
 * @param code       the shortrun code working on the run
 * @param invocation the pipeline or sweep command that queued it last
 * @param activity   what it does now
 * @param iteration  training iterations done, of {@code iterations}
 * @param pending    checkpoint steps still to do after training, as {@code step@iteration}; the one that ends the
 *                   last of them ends the run
 * @param error      why it failed; null unless FAILED
 * @param startedMs  when its current attempt started; 0 before any
 * @param endedMs    when it ended; 0 while it has not
 * @param updatedMs  when this state was written
 * @param worker     host and process id of the writer, e.g. {@code node1 pid 4242}
 */
public record RunState(String status, String runKey, String code, String invocation, Activity activity,
                       long iteration, long iterations, List<String> pending, String error, long startedMs,
                       long endedMs, long updatedMs, String worker) {
    public static final String QUEUED = "QUEUED";
    public static final String RUNNING = "RUNNING";
    public static final String FINISHED = "FINISHED";
    public static final String FAILED = "FAILED";
    public static final String KILLED = "KILLED";

    /**
     * What a run does now and how far it got.
     *
     * @param what    e.g. "training", "sample iter 6", "waiting"
     * @param done    units done, of {@code total} (0 of 0: nothing to count)
     * @param unit    what is counted: "it", "steps", "images"
     * @param rate    units per second since the activity started (0: not known yet)
     * @param sinceMs when the activity started
     */
    public record Activity(String what, long done, long total, String unit, double rate, long sinceMs) {
        public static Activity of(String what, long nowMs) {
            return new Activity(what, 0, 0, "", 0, nowMs);
        }

        /** Seconds left at the current rate; negative when unknown. */
        public double etaSeconds() {
            return rate > 0 && total > 0 ? Math.max(0, total - done) / rate : -1;
        }
    }

    public RunState {
        pending = pending == null ? List.of() : List.copyOf(pending);
    }

    /** A run no worker has touched yet, with a new key. */
    public static RunState fresh(String code, String invocation, long nowMs) {
        return new RunState(QUEUED, UUID.randomUUID().toString(), code, invocation, Activity.of("waiting", nowMs),
                0, 0, List.of(), null, 0, 0, nowMs, null);
    }

    /** Whether {@code status} is one a run ends with. */
    public static boolean ended(String status) {
        return FINISHED.equals(status) || FAILED.equals(status) || KILLED.equals(status);
    }

    public boolean ended() {
        return ended(status);
    }

    /**
     * Queued again by a new invocation, now with {@code code}: a finished run stays finished (its steps may still
     * run again), any other waits for a worker.
     */
    public RunState queued(String newCode, String newInvocation, long nowMs) {
        boolean finished = FINISHED.equals(status);
        return new RunState(finished ? FINISHED : QUEUED, runKey, newCode, newInvocation,
                Activity.of(finished ? "finished" : "waiting", nowMs), iteration, iterations, List.of(),
                null, startedMs, finished ? endedMs : 0, updatedMs, worker);
    }

    /** A worker works on it (again): RUNNING, doing {@code what}. */
    public RunState running(String what, long nowMs) {
        long started = RUNNING.equals(status) && startedMs > 0 ? startedMs : nowMs;
        return new RunState(RUNNING, runKey, code, invocation, Activity.of(what, nowMs), iteration, iterations,
                pending, null, started, 0, updatedMs, worker);
    }

    public RunState withActivity(Activity now) {
        return new RunState(status, runKey, code, invocation, now, iteration, iterations, pending, error, startedMs,
                endedMs, updatedMs, worker);
    }

    public RunState withTraining(long done, long total) {
        return new RunState(status, runKey, code, invocation, activity, done, total, pending, error, startedMs,
                endedMs, updatedMs, worker);
    }

    public RunState withPending(List<String> items) {
        return new RunState(status, runKey, code, invocation, activity, iteration, iterations, items, error,
                startedMs, endedMs, updatedMs, worker);
    }

    /** Without {@code item} among the pending steps. */
    public RunState done(String item) {
        List<String> left = new ArrayList<>(pending);
        left.remove(item);
        return withPending(left);
    }

    /** Ended with {@code how} (FINISHED, FAILED with {@code why}, KILLED). */
    public RunState end(String how, String why, long nowMs) {
        if (!ended(how)) {
            throw new IllegalArgumentException("a run ends FINISHED, FAILED or KILLED, not " + how);
        }
        return new RunState(how, runKey, code, invocation, Activity.of(how.toLowerCase(Locale.ROOT), nowMs),
                iteration, iterations, pending, why, startedMs, nowMs, updatedMs, worker);
    }

    /** Stamped by its writer. */
    RunState written(long nowMs, String by) {
        return new RunState(status, runKey, code, invocation, activity, iteration, iterations, pending, error,
                startedMs, endedMs, nowMs, by);
    }
}
