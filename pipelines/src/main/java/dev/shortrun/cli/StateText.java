package dev.shortrun.cli;

import dev.shortrun.model.run.RunState;

import java.util.List;
import java.util.Locale;

/** How the progress lines of run/sweep and {@code shortrun status} put a run's state into words. */
final class StateText {
    private StateText() {
    }

    /**
     * The counts of a pipeline's or sweep's runs, e.g. "2 of 3 done, 1 running, 0 failed" (waiting and killed runs
     * when there are any); a run without a state counts as waiting.
     */
    static String counts(List<RunState> states) {
        long done = count(states, RunState.FINISHED);
        long running = count(states, RunState.RUNNING);
        long failed = count(states, RunState.FAILED);
        long killed = count(states, RunState.KILLED);
        long waiting = states.size() - done - running - failed - killed;
        return done + " of " + states.size() + " done, " + running + " running, " + failed + " failed"
                + (killed > 0 ? ", " + killed + " killed" : "") + (waiting > 0 ? ", " + waiting + " waiting" : "");
    }

    private static long count(List<RunState> states, String status) {
        return states.stream().filter(s -> s != null && status.equals(s.status())).count();
    }

    /**
     * What the run does or how it ended: "training 12/30 (40%) 3.1 it/s ETA 0:06", "diagnose iter 6 (0:42)",
     * "finished: 30 iterations in 0:11", "finished earlier (reused)", "FAILED: run ...: training diverged ...".
     *
     * @param sinceMs when the invocation started: a run that finished before was reused
     */
    static String describe(RunState s, long sinceMs, long nowMs) {
        if (s == null) {
            return "waiting";
        }
        RunState.Activity a = s.activity();
        return switch (s.status()) {
            case RunState.QUEUED -> a == null || a.what().equals("waiting") ? "waiting" : "waiting: " + a.what()
                    + " (" + duration(nowMs - a.sinceMs()) + ")";
            case RunState.RUNNING -> running(a, nowMs);
            case RunState.FINISHED -> s.endedMs() < sinceMs ? "finished earlier (reused)" : "finished: "
                    + s.iteration() + " iterations, " + duration(s.endedMs() - s.startedMs());
            case RunState.FAILED -> "FAILED: " + s.error();
            case RunState.KILLED -> "KILLED at iteration " + s.iteration() + " of " + s.iterations()
                    + "; running the same command again continues it";
            default -> s.status();
        };
    }

    private static String running(RunState.Activity a, long nowMs) {
        if (a == null) {
            return "running";
        }
        if (a.total() <= 0) {
            return a.what() + " (" + duration(nowMs - a.sinceMs()) + ")";
        }
        String rate = a.rate() <= 0 ? "" : a.rate() >= 1 ? String.format(Locale.ROOT, "  %.1f %s/s", a.rate(),
                a.unit()) : String.format(Locale.ROOT, "  %.2f s/%s", 1 / a.rate(), a.unit());
        double eta = a.etaSeconds();
        return String.format(Locale.ROOT, "%s %d/%d (%d%%)%s  ETA %s", a.what(), a.done(), a.total(),
                100 * a.done() / a.total(), rate, eta < 0 ? "--:--" : duration((long) (eta * 1000)));
    }

    /** m:ss, or h:mm:ss from an hour on. */
    static String duration(long ms) {
        long s = Math.max(0, ms) / 1000;
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
