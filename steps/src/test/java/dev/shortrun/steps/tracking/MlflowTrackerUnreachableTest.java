package dev.shortrun.steps.tracking;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A tracking server that cannot be reached (a closed port) must not hold a run at its end: issue 19 item 5, where a
 * 5-iteration pipeline took 140 s because finish waited 10 s and every tracker's close 60 s. No server is needed.
 */
class MlflowTrackerUnreachableTest {
    /**
     * The default give-up window, 10 s from the outage's first failure, plus slack for a loaded machine: the first
     * request of a JVM (the HTTP client starting up) took 3 s on 2 busy cores. Today's code took 74 s here.
     */
    private static final double MAX_FIRST_CLOSE_S = 25;
    /** A tracker opened later in the same outage (each checkpoint step opens one) does not wait again. */
    private static final double MAX_LATER_CLOSE_S = 3;

    @Test
    void aRunWhoseServerIsUnreachableEndsPromptlyAndSaysItDidNotDeliver() throws IOException {
        String uri = "http://127.0.0.1:" + closedPort();
        long started = System.nanoTime();
        MlflowTracker tracker = new MlflowTracker(uri);
        try (tracker; RunHandle run = tracker.startRun("unreachable", "short-run", Map.of(), null)) {
            run.logParams(Map.of("lr", "1e-4"));
            for (int step = 1; step <= 5; step++) {
                run.logMetrics(step, Map.of("loss", 1.0 / step));
            }
            run.finish(RunHandle.FINISHED);
        }
        double firstS = (System.nanoTime() - started) / 1e9;
        assertFalse(tracker.delivered());
        assertTrue(firstS < MAX_FIRST_CLOSE_S, "a run and its tracker took " + firstS + " s to end");

        started = System.nanoTime();
        MlflowTracker later = new MlflowTracker(uri);
        try (later; RunHandle step = later.startRun("unreachable", "short-run", Map.of(), null, true)) {
            step.logMetrics(5, Map.of("sample_grad_norm", 0.01));
        }
        double laterS = (System.nanoTime() - started) / 1e9;
        assertFalse(later.delivered());
        assertTrue(laterS < MAX_LATER_CLOSE_S, "a later tracker in the same outage took " + laterS + " s to end");
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort(); // closed again at once: connecting is refused
        }
    }
}
