package dev.shortrun.cli;

import dev.shortrun.model.io.AtomicFiles;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the command does when it is stopped (Ctrl-C: SIGINT, or SIGTERM) while a pipeline runs: a JVM shutdown hook
 * that runs {@code onStop} (cancel a cluster's job, mark the runs KILLED) before the process exits with 130 or 143.
 * Closing the handler when the pipeline ended on its own removes the hook. A command that stops while the hook runs
 * waits for it ({@link #awaitStop}), so that both never touch the runs' records at once.
 */
final class StopHandler implements AutoCloseable {
    private final Thread hook;
    private final AtomicBoolean triggered = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);

    StopHandler(Runnable onStop) {
        this.hook = new Thread(() -> {
            triggered.set(true);
            try {
                onStop.run();
            } finally {
                AtomicFiles.deleteInFlight(); // after the stop's own writes: see AtomicFiles
                done.countDown();
            }
        }, "shortrun-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Whether the process is being stopped. */
    boolean triggered() {
        return triggered.get();
    }

    /** Waits (at most a minute) for the stop's work to end. */
    void awaitStop() {
        try {
            done.await(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (triggered.get()) {
            awaitStop();
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            awaitStop(); // the process began to stop just now: the hook runs
        }
    }
}
