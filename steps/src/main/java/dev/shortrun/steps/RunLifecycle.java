package dev.shortrun.steps;

import dev.shortrun.model.run.RunState;
import dev.shortrun.model.run.RunStateFile;
import dev.shortrun.steps.tracking.RunHandle;
import dev.shortrun.steps.tracking.Tracker;
import dev.shortrun.steps.tracking.Trackers;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A run's state as its workers move it on (its folder's {@code state.json}, a {@link RunState}). The train step
 * starts it (RUNNING) and hands the checkpoint steps the list of what is left to do; each step takes its item off
 * the list; the one that takes the last item off ends the run FINISHED, in the state file and in the run's tracking
 * records, so a run with checkpoint steps is FINISHED when they are, not when training is. A failure ends it FAILED
 * with the error, a stop (Flink cancelling the job, a signal to the process) KILLED. The first end wins: a run the
 * command already marked KILLED stays KILLED, and once this process is stopping its workers change nothing.
 */
public final class RunLifecycle {
    /**
     * A JVM-wide flag, not a static field: embedded Flink may load the workers' classes in a class loader of its own,
     * whose statics the command's handler would not see.
     */
    private static final String STOPPING = "shortrun.stopping";

    private final RunSpec spec;
    private final Path runDir;

    private RunLifecycle(RunSpec spec) {
        this.spec = spec;
        this.runDir = Path.of(spec.outputDir());
    }

    public static RunLifecycle of(RunSpec spec) {
        return new RunLifecycle(spec);
    }

    /**
     * This process is being stopped (SIGINT or SIGTERM): the command's handler marks its runs KILLED, and from now on
     * the workers of this process leave the runs' states and tracking records alone.
     */
    public static void stopProcess() {
        System.setProperty(STOPPING, "true");
    }

    public static boolean processStopping() {
        return Boolean.getBoolean(STOPPING);
    }

    /**
     * Throws {@link RunStoppedException} when the process is stopping or this thread was interrupted (Flink cancelling
     * the task). Long work calls it between units, so that a cancelled job lets go of its worker at once.
     */
    public static void checkStop() {
        if (processStopping() || Thread.currentThread().isInterrupted()) {
            throw new RunStoppedException();
        }
    }

    /** The run's item in the list of checkpoint steps left to do. */
    static String item(String step, long iteration) {
        return step + "@" + iteration;
    }

    /**
     * A state change: what it was, and what it is now.
     *
     * @param before null for a run without a state yet
     */
    record Change(RunState before, RunState after) {
        /** Whether this change took a run that had ended (or not started) back to RUNNING. */
        boolean reopened() {
            return (before == null || !RunState.RUNNING.equals(before.status()))
                    && RunState.RUNNING.equals(after.status());
        }
    }

    /**
     * A worker starts on the run: RUNNING, doing {@code what}. A run that has no state yet (a pipeline started without
     * the command) gets one here; with {@code keepFinished}, a FINISHED run stays so (its work is reused).
     */
    Change begin(String what, boolean keepFinished) {
        RunState[] before = new RunState[1];
        RunState after = RunStateFile.update(runDir, s -> {
            before[0] = s;
            if (processStopping()) {
                return s;
            }
            long now = System.currentTimeMillis();
            if (s == null) {
                return RunState.fresh(CodeVersion.current(), null, now).running(what, now);
            }
            return keepFinished && RunState.FINISHED.equals(s.status()) ? s : s.running(what, now);
        });
        return new Change(before[0], after);
    }

    /** The run's current state (a new one when it has none). */
    RunState state() {
        return RunStateFile.read(runDir).orElseGet(() -> begin("starting", true).after());
    }

    /** Says what a run waits for before a worker starts on it (its data being decoded, say). */
    void waiting(String what) {
        if (processStopping()) {
            return;
        }
        long now = System.currentTimeMillis();
        RunStateFile.update(runDir, s -> s != null && RunState.QUEUED.equals(s.status())
                ? s.withActivity(RunState.Activity.of(what, now)) : s);
    }

    /** When the run ended (its state's end time, which its tracking records take too). */
    long endedMs() {
        return state().endedMs();
    }

    /** Reports what a RUNNING run does and how far it got ({@code iteration < 0}: training is not counted). */
    void progress(RunState.Activity activity, long iteration, long iterations) {
        if (processStopping()) {
            return;
        }
        RunStateFile.update(runDir, s -> s == null || !RunState.RUNNING.equals(s.status()) ? s
                : iteration < 0 ? s.withActivity(activity) : s.withActivity(activity).withTraining(iteration,
                iterations));
    }

    /** The checkpoint steps left to do after training, as {@link #item}s; the run is RUNNING until they are done. */
    void expect(List<String> items, String what) {
        if (processStopping()) {
            return;
        }
        long now = System.currentTimeMillis();
        RunStateFile.update(runDir, s -> {
            if (s == null) {
                return null;
            }
            RunState listed = s.withPending(items);
            return RunState.RUNNING.equals(s.status()) ? listed.withActivity(RunState.Activity.of(what, now))
                    : listed;
        });
    }

    /**
     * Takes {@code item} off the list of steps left; true when that ended the run FINISHED (the caller then finishes
     * its tracking record). A run that is not RUNNING (reused as it finished before, or failed) keeps its status.
     */
    boolean complete(String item) {
        if (processStopping()) {
            return false;
        }
        boolean[] ended = new boolean[1];
        long now = System.currentTimeMillis();
        RunStateFile.update(runDir, s -> {
            if (s == null) {
                return null;
            }
            RunState left = s.done(item);
            ended[0] = left.pending().isEmpty() && RunState.RUNNING.equals(left.status());
            return ended[0] ? left.end(RunState.FINISHED, null, now) : left;
        });
        return ended[0];
    }

    /**
     * Ends the run {@code how} ({@code why}: the error of a FAILED one) unless it ended already or the process is
     * stopping; true when this call ended it.
     */
    boolean end(String how, String why) {
        if (processStopping()) {
            return false;
        }
        boolean[] ended = new boolean[1];
        long now = System.currentTimeMillis();
        RunStateFile.update(runDir, s -> {
            ended[0] = s != null && !s.ended();
            return ended[0] ? s.end(how, why, now) : s;
        });
        return ended[0];
    }

    /**
     * Ends the run after {@code failure}: KILLED for a stop, else FAILED with its message, in the state file and in
     * {@code run}'s record (the error as its tag {@code error}). Returns the message.
     */
    String endAfter(RuntimeException failure, RunHandle run, String what) {
        // an interrupted thread could not write a file (its channels close at once): clear the flag meanwhile
        boolean interrupted = Thread.interrupted();
        boolean stop = interrupted || failure instanceof RunStoppedException;
        String why = what + ": " + failure.getMessage();
        try {
            if (end(stop ? RunState.KILLED : RunState.FAILED, stop ? null : why)) {
                if (!stop) {
                    run.setTag("error", why);
                }
                run.finish(stop ? RunHandle.KILLED : RunHandle.FAILED, endedMs());
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        return why;
    }

    /**
     * For the command, whatever this process's workers do: a run still RUNNING ends {@code how} ({@code why}: the
     * error of a FAILED one), in its state and its tracking records. True when it was RUNNING. A run no worker
     * reached stays as it is (QUEUED): it has no tracking record to end.
     */
    public boolean endIfRunning(String how, String why) {
        boolean[] running = new boolean[1];
        long now = System.currentTimeMillis();
        RunStateFile.update(runDir, s -> {
            running[0] = s != null && RunState.RUNNING.equals(s.status());
            return running[0] ? s.end(how, why, now) : s;
        });
        if (running[0]) {
            try (Tracker tracker = tracker(); RunHandle run = open(tracker, key(), null, Tracker.Start.ADD)) {
                if (why != null) {
                    run.setTag("error", why);
                }
                run.finish(how, endedMs());
            }
        }
        return running[0];
    }

    /** The run's tracker: its local record and, with an MLflow URI, MLflow. */
    Tracker tracker() {
        return Trackers.fromUri(spec.tracking().mlflowUri(), TrainStep.localTracking(spec));
    }

    /** Opens the run's record: {@code start} of the run with this folder's key. */
    RunHandle open(Tracker tracker, Map<String, String> tags, String parentRunId, Tracker.Start start) {
        return tracker.startRun(spec.tracking().experiment(), spec.runName(), tags, parentRunId, start);
    }

    /** The tag that picks this folder's record among runs of the same name. */
    Map<String, String> key() {
        return Map.of(Tracker.RUN_KEY_TAG, state().runKey());
    }

    /** Thrown by {@link #checkStop} when the run must stop now. */
    public static final class RunStoppedException extends RuntimeException {
        RunStoppedException() {
            super("stopped");
        }
    }
}
