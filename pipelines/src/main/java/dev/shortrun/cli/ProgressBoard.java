package dev.shortrun.cli;

import dev.shortrun.model.run.RunState;
import dev.shortrun.model.run.RunStateFile;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The progress lines of {@code run} and {@code sweep} (and {@code status --follow}): every second it reads the runs'
 * states, which their workers write wherever they run (this process, or a Flink cluster's task managers), and prints
 * a line for a run when it starts, ends, turns to other work or gets a tenth further, and every 30 s while it runs,
 * each line led by the counts of the whole:
 * {@code [1 of 3 done, 2 running, 0 failed] ci-smoke-lr0.001-4248e0204efe  training 12/30 (40%)  3.1 it/s  ETA 0:06}.
 */
final class ProgressBoard implements AutoCloseable {
    private static final long HEARTBEAT_MS = 30_000;
    private static final long UNCOUNTED_WORTH_MS = 3_000;

    private final PrintStream out;
    private final Path root;
    private final List<String> runs;
    private final long sinceMs;
    private final Map<String, String> lastSaid = new HashMap<>();
    private final Map<String, Long> lastPrintedMs = new HashMap<>();
    private final ScheduledExecutorService timer;

    /**
     * @param root    the pipeline's or sweep's folder, {@code <output>/<name>}
     * @param runs    the run names: their folders are under {@code root}
     * @param sinceMs when the invocation started (runs that finished before are reused, and not reported)
     */
    ProgressBoard(PrintStream out, Path root, List<String> runs, long sinceMs, Duration every) {
        this.out = out;
        this.root = root;
        this.runs = List.copyOf(runs);
        this.sinceMs = sinceMs;
        for (String run : runs) {
            RunState s = read(run);
            lastSaid.put(run, key(s)); // what each run is at the start goes without saying
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "progress-board");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::poll, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Reads every run's state and prints the lines due. */
    synchronized void poll() {
        long now = System.currentTimeMillis();
        List<RunState> states = new ArrayList<>();
        runs.forEach(run -> states.add(read(run)));
        String counts = StateText.counts(states);
        for (int i = 0; i < runs.size(); i++) {
            String run = runs.get(i);
            RunState s = states.get(i);
            String key = key(s);
            boolean changed = !key.equals(lastSaid.get(run)) && worthSaying(s, key, lastSaid.get(run), now);
            boolean heartbeat = s != null && RunState.RUNNING.equals(s.status())
                    && now - lastPrintedMs.getOrDefault(run, sinceMs) >= HEARTBEAT_MS;
            if (changed || heartbeat) {
                lastSaid.put(run, key);
                lastPrintedMs.put(run, now);
                out.println("[" + counts + "] " + run + "  " + StateText.describe(s, sinceMs, now));
            }
        }
        out.flush();
    }

    /** Whether every run has ended (or never started and no worker will reach it). */
    synchronized boolean allEnded() {
        return runs.stream().map(this::read).allMatch(s -> s != null && s.ended());
    }

    /** Stops polling after one last look, so that the runs' ends are said before the summary. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        poll();
    }

    private RunState read(String run) {
        try {
            return RunStateFile.read(root.resolve(run)).orElse(null);
        } catch (RuntimeException unreadable) {
            return null; // said as "waiting" until a worker writes it again
        }
    }

    /**
     * A run's status changes and the tenths of counted work are always said; other work only once it has taken a
     * few seconds (a sample step's second is not worth a line, decoding a data set is).
     */
    private static boolean worthSaying(RunState s, String key, String before, long nowMs) {
        if (s == null || before == null || !key.startsWith(s.status() + "|") || !before.startsWith(s.status() + "|")) {
            return true;
        }
        RunState.Activity a = s.activity();
        return a == null || a.total() > 0 || nowMs - a.sinceMs() >= UNCOUNTED_WORTH_MS;
    }

    /** What a line says that is worth a new line: status, activity and its tenth. */
    private static String key(RunState s) {
        if (s == null) {
            return "none";
        }
        RunState.Activity a = s.activity();
        long tenth = a == null || a.total() <= 0 ? 0 : 10 * a.done() / a.total();
        return s.status() + "|" + (a == null ? "" : a.what()) + "|" + tenth;
    }
}
