package dev.shortrun.steps.tracking;

import java.util.function.LongSupplier;

/** Exponential backoff between attempts to reach a server that failed: 0.5 s, 1 s, 2 s, ... up to a ceiling. */
final class Backoff {
    private static final long FIRST_DELAY_MS = 500;
    private final long maxDelayMs;
    private final LongSupplier clockMs;
    private long delayMs;
    private long nextAttemptMs;

    Backoff(long maxDelayMs, LongSupplier clockMs) {
        this.maxDelayMs = maxDelayMs;
        this.clockMs = clockMs;
    }

    synchronized boolean due() {
        return clockMs.getAsLong() >= nextAttemptMs;
    }

    synchronized boolean failing() {
        return delayMs > 0;
    }

    synchronized void failed() {
        delayMs = delayMs == 0 ? FIRST_DELAY_MS : Math.min(maxDelayMs, delayMs * 2);
        nextAttemptMs = clockMs.getAsLong() + delayMs;
    }

    synchronized void succeeded() {
        delayMs = 0;
        nextAttemptMs = 0;
    }
}
