package dev.shortrun.steps.tracking;

import java.time.Duration;

/** Waits between attempts to reach a server; tests pass one that advances a fake clock instead. */
@FunctionalInterface
interface Sleeper {
    Sleeper SYSTEM = duration -> Thread.sleep(Math.max(1, duration.toMillis()));

    void sleep(Duration duration) throws InterruptedException;
}
