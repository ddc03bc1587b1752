package dev.shortrun.steps.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops and restarts a real server under a running tracker. Always uses a server of its own (it must stop it), even
 * when MLFLOW_TRACKING_URI names another.
 */
class MlflowOutageTest {
    /** Log calls during an outage must return about this fast in all (they only queue). */
    private static final long MAX_OUTAGE_LOGGING_MS = 3_000;
    private static MlflowTestServer server;
    private static MlflowServerView view;

    @TempDir
    Path temp;

    @BeforeAll
    static void startServer() {
        server = MlflowTestServer.startOwn();
        view = new MlflowServerView(server.uri());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void metricsParamsTagsAndArtifactsLoggedDuringAnOutageReachTheServerWhenItReturns() {
        // A small memory bound so the outage also exercises spilling metric points to disk.
        MlflowTracker.Settings settings = MlflowTracker.Settings.defaults().withPendingMetricsInMemory(500);
        String experiment = "shortrun-outage-" + UUID.randomUUID();
        int before = 10;
        int total = 2000;
        try (MlflowTracker tracker = new MlflowTracker(server.uri(), settings)) {
            RunHandle run = tracker.startRun(experiment, "long-run", Map.of(), null);
            for (int step = 0; step < before; step++) {
                run.logMetrics(step, Map.of("loss", value(step), "energy", -value(step)));
            }
            run.close(); // sends now
            assertEquals(before, view.history(run.id(), "loss").size());

            server.stop();
            long started = System.nanoTime();
            for (int step = before; step < total; step++) {
                run.logMetrics(step, Map.of("loss", value(step), "energy", -value(step)));
            }
            run.logParams(Map.of("lr", "1e-4"));
            run.setTag("phase", "after-outage");
            run.logArtifact(TestFiles.png(temp, "grid.png", 3), "samples");
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            assertTrue(elapsedMs < MAX_OUTAGE_LOGGING_MS, "logging during the outage took " + elapsedMs + " ms");

            server.restart();
            run.finish(RunHandle.FINISHED);

            assertEquals("FINISHED", view.status(run.id()));
            assertFullHistory(view.history(run.id(), "loss"), total, 1);
            assertFullHistory(view.history(run.id(), "energy"), total, -1);
            assertEquals("1e-4", view.params(run.id()).get("lr"));
            assertEquals("after-outage", view.tags(run.id()).get("phase"));
            assertTrue(view.artifacts(run.id(), "samples").containsKey("samples/grid.png"));
        }
    }

    @Test
    void runsStartedWhileTheServerIsDownAreCreatedWhenItReturns() {
        String experiment = "shortrun-outage-" + UUID.randomUUID();
        server.stop();
        try (MlflowTracker tracker = new MlflowTracker(server.uri())) {
            long started = System.nanoTime();
            RunHandle parent = tracker.startRun(experiment, "sweep", Map.of(), null);
            RunHandle child = tracker.startRun(experiment, "point", Map.of(), parent.id());
            child.logParams(Map.of("seed", "7"));
            child.logMetrics(0, Map.of("loss", 2.0));
            child.logMetrics(1, Map.of("loss", 1.0));
            child.logArtifact(TestFiles.text(temp, "log.txt", "queued"), "");
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            assertTrue(elapsedMs < MAX_OUTAGE_LOGGING_MS, "starting and logging took " + elapsedMs + " ms");
            assertTrue(child.id().startsWith("pending-"), child.id());

            server.restart();
            child.finish(RunHandle.FAILED);
            parent.finish(RunHandle.FINISHED);

            assertNotEquals(parent.id(), child.id());
            assertTrue(!child.id().startsWith("pending-") && !parent.id().startsWith("pending-"));
            assertEquals("FAILED", view.status(child.id()));
            assertEquals("FINISHED", view.status(parent.id()));
            assertEquals(parent.id(), view.tags(child.id()).get("mlflow.parentRunId"));
            assertEquals("7", view.params(child.id()).get("seed"));
            assertEquals(2, view.history(child.id(), "loss").size());
            assertEquals(Map.of("log.txt", 6L), view.artifacts(child.id(), ""));
        }
    }

    @Test
    void aTrackerSaysWhetherWhatItLoggedReachedTheServer() {
        String experiment = "shortrun-outage-" + UUID.randomUUID();
        MlflowTracker.Settings shortWaits = MlflowTracker.Settings.defaults().withGiveUpAfter(Duration.ofMillis(300));
        MlflowTracker reached = new MlflowTracker(server.uri(), shortWaits);
        try (reached; RunHandle run = reached.startRun(experiment, "reached", Map.of(), null)) {
            run.logMetrics(1, Map.of("loss", 1.0));
        }
        assertTrue(reached.delivered());

        server.stop();
        MlflowTracker lost = new MlflowTracker(server.uri(), shortWaits);
        try (lost; RunHandle run = lost.startRun(experiment, "lost", Map.of(), null)) {
            run.logMetrics(1, Map.of("loss", 1.0));
        } finally {
            server.restart();
        }
        assertFalse(lost.delivered(), "the server was down until the tracker closed");
    }

    private static double value(int step) {
        return 100.0 / (step + 1);
    }

    private static void assertFullHistory(List<double[]> history, int total, double sign) {
        assertEquals(total, history.size());
        for (int step = 0; step < total; step++) {
            assertEquals(step, (long) history.get(step)[0]);
            assertEquals(sign * value(step), history.get(step)[1], 1e-9);
        }
    }
}
