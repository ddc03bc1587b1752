package dev.shortrun.steps;

import dev.shortrun.model.run.RunState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * Progress of a run's long work (training, a step's chains, a score's phases), as workers report it: Beam and Flink
 * workers have no terminal, so it goes into the run's state (at most once a second, and at the first and last unit),
 * where the command's progress lines and {@code shortrun status} read it, from the worker's process or any other.
 * Each tenth is also a debug line of the worker's log. Every update first checks that the run may go on
 * ({@link RunLifecycle#checkStop}): a cancelled Flink task or a stopping process ends the work at its next unit.
 */
final class RunProgress {
    private static final Logger LOG = LoggerFactory.getLogger(RunProgress.class);
    private static final long WRITE_EVERY_MS = 1000;

    private final RunLifecycle life;
    private final String label;
    private final String unit;
    private final boolean training;
    private String what;
    private long total;
    private long startedMs;
    private long firstDone = -1;
    private long lastWriteMs;
    private long lastTenth = -1;

    /**
     * @param label    the run's name, for log lines
     * @param what     what is running, e.g. "training" or "diagnose iter 6"
     * @param unit     what is counted: "it", "steps"
     * @param training whether the units are training iterations (the state keeps those after training)
     */
    RunProgress(RunLifecycle life, String label, String what, String unit, long total, boolean training) {
        this.life = life;
        this.label = label;
        this.unit = unit;
        this.training = training;
        phase(what, total);
    }

    /** A new phase of the work with its own count (a score: the LeNet's training, then features, ...). */
    void phase(String newWhat, long newTotal) {
        this.what = newWhat;
        this.total = Math.max(1, newTotal);
        this.startedMs = System.currentTimeMillis();
        this.firstDone = -1;
        this.lastWriteMs = 0;
        this.lastTenth = -1;
    }

    /** {@code done} units of the total are done; {@code detail} (for the log) is asked only when a line is due. */
    void update(long done, Supplier<String> detail) {
        RunLifecycle.checkStop();
        long now = System.currentTimeMillis();
        if (firstDone < 0) {
            firstDone = done; // a resumed training starts counting at its checkpoint, not at 0
            startedMs = now;
        }
        double seconds = (now - startedMs) / 1e3;
        double rate = seconds > 0 && done > firstDone ? (done - firstDone) / seconds : 0;
        if (lastWriteMs == 0 || now - lastWriteMs >= WRITE_EVERY_MS || done >= total) {
            lastWriteMs = now;
            life.progress(new RunState.Activity(what, done, total, unit, rate, startedMs), training ? done : -1,
                    total);
        }
        long tenth = done * 10 / total;
        if (tenth != lastTenth && LOG.isDebugEnabled()) {
            lastTenth = tenth;
            String extra = detail.get();
            LOG.debug(String.format("[%s] %s %d/%d (%d%%) %.1f s, %.1f %s/s%s", label, what, done, total,
                    100 * done / total, seconds, rate, unit, extra.isEmpty() ? "" : "  " + extra));
        }
    }
}
