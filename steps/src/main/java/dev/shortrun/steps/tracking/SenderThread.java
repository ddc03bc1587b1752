package dev.shortrun.steps.tracking;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The one thread on which a tracker makes all its requests, so that a run's requests are never concurrent and go in
 * order. It runs a pass over the tracker's runs every {@code every}, and sooner when nudged; callers may run a task
 * on it and wait for the result. A daemon: it never keeps a finished pipeline's JVM alive.
 */
final class SenderThread {
    private final ScheduledExecutorService executor;
    private final Runnable pass;
    private final AtomicBoolean nudged = new AtomicBoolean();
    private volatile Thread thread;

    SenderThread(String name, Duration every, Runnable pass) {
        this.pass = pass;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.scheduleWithFixedDelay(pass, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs a pass soon; nudges before it starts count once. */
    void nudge() {
        if (nudged.compareAndSet(false, true)) {
            try {
                executor.execute(() -> {
                    nudged.set(false);
                    pass.run();
                });
            } catch (RejectedExecutionException closed) {
                nudged.set(false);
            }
        }
    }

    /** Runs {@code task} on the sender thread and returns its result; {@code ifClosed} once the thread stopped. */
    <T> T call(Supplier<T> task, T ifClosed) {
        if (Thread.currentThread() == thread) {
            return task.get(); // waiting for itself would never end
        }
        Future<T> result;
        try {
            result = executor.submit(task::get);
        } catch (RejectedExecutionException closed) {
            return ifClosed;
        }
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ifClosed;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Stops the thread, interrupting a pass in progress. */
    void close() {
        executor.shutdownNow();
    }
}
