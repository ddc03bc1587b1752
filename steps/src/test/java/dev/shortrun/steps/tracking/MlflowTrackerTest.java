package dev.shortrun.steps.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real MLflow server (env MLFLOW_TRACKING_URI, or one started by infra/mlflow/start.sh). */
class MlflowTrackerTest {
    private static final int STEPS = 5;
    private static MlflowTestServer server;
    private static MlflowServerView view;

    @TempDir
    Path temp;

    @BeforeAll
    static void startServer() {
        server = MlflowTestServer.fromEnvOrStart();
        view = new MlflowServerView(server.uri());
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void sweepParentWithThreeChildrenHasEverythingOnTheServer() throws Exception {
        String experiment = "shortrun-test-" + UUID.randomUUID();
        String longValue = "x".repeat(7000);
        String parentId;
        List<String> childIds = new ArrayList<>();
        List<Path> pngs = new ArrayList<>();
        try (MlflowTracker tracker = new MlflowTracker(server.uri())) {
            RunHandle parent = tracker.startRun(experiment, "sweep", Map.of("kind", "sweep"), null);
            parentId = parent.id();
            for (int i = 0; i < 3; i++) {
                RunHandle child = tracker.startRun(experiment, "child-" + i, Map.of("index", "" + i), parentId);
                child.logParams(Map.of("lr", "0.00" + (i + 1), "notes", longValue));
                for (int step = 0; step < STEPS; step++) {
                    child.logMetrics(step, Map.of("loss", lossAt(i, step), "grad_norm", 10.0 * step + i));
                }
                child.logMetrics(STEPS, Map.of("diverged", Double.NaN));
                Path png = TestFiles.png(temp.resolve("c" + i), "grid.png", i + 1);
                pngs.add(png);
                child.logArtifact(png, "samples");
                child.logArtifact(TestFiles.text(temp.resolve("c" + i), "summary.txt", "child " + i), "");
                child.setTag("verdict", "ok-" + i);
                child.finish(RunHandle.FINISHED);
                childIds.add(child.id());
                assertEquals(server.uri() + "/#/experiments/" + view.experimentId(experiment) + "/runs/" + child.id(),
                        child.url());
            }
            parent.finish(RunHandle.FINISHED);
        }

        String experimentId = view.experimentId(experiment);
        assertEquals(List.of("child-0", "child-1", "child-2"), view.childNames(experimentId, parentId));
        assertEquals("FINISHED", view.status(parentId));
        assertEquals("sweep", view.tags(parentId).get("mlflow.runName"));
        for (int i = 0; i < 3; i++) {
            String id = childIds.get(i);
            assertEquals("FINISHED", view.status(id));
            Map<String, String> params = view.params(id);
            assertEquals("0.00" + (i + 1), params.get("lr"));
            assertEquals(MlflowPayloads.MAX_PARAM_VALUE_LENGTH, params.get("notes").length());
            assertTrue(params.get("notes").endsWith("[truncated by shortrun: 7000 chars in all]"));
            Map<String, String> tags = view.tags(id);
            assertEquals(parentId, tags.get("mlflow.parentRunId"));
            assertEquals("child-" + i, tags.get("mlflow.runName"));
            assertEquals("ok-" + i, tags.get("verdict"));
            assertEquals("" + i, tags.get("index"));

            List<double[]> loss = view.history(id, "loss");
            assertEquals(STEPS, loss.size());
            for (int step = 0; step < STEPS; step++) {
                assertEquals(step, (long) loss.get(step)[0]);
                assertEquals(lossAt(i, step), loss.get(step)[1], 1e-12);
            }
            assertEquals(STEPS, view.history(id, "grad_norm").size());
            assertTrue(Double.isNaN(view.history(id, "diverged").get(0)[1]));

            Map<String, Long> root = view.artifacts(id, "");
            assertEquals(Map.of("samples", -1L, "summary.txt", (long) ("child " + i).length()), root);
            assertEquals(Map.of("samples/grid.png", Files.size(pngs.get(i))), view.artifacts(id, "samples"));
        }
    }

    @Test
    void compositeTrackerWritesLocallyAndToMlflowWithParentLinks() throws Exception {
        String experiment = "shortrun-test-" + UUID.randomUUID();
        String parentMlflowId;
        String childMlflowId;
        try (Tracker tracker = Trackers.fromUri(server.uri(), temp.resolve("runs"))) {
            RunHandle parent = tracker.startRun(experiment, "sweep", Map.of(), null);
            RunHandle child = tracker.startRun(experiment, "point-1", Map.of(), parent.id());
            child.logParams(Map.of("n_f", "32"));
            child.logMetrics(0, Map.of("loss", 1.5));
            child.logArtifact(TestFiles.text(temp, "note.txt", "hello"), "notes");
            child.finish(RunHandle.FINISHED);
            parent.finish(RunHandle.FINISHED);
            assertEquals("point-1", child.id());
            parentMlflowId = ((CompositeRun) parent).mlflowRunId();
            childMlflowId = ((CompositeRun) child).mlflowRunId();
            assertTrue(child.url().endsWith("/runs/" + childMlflowId), child.url());
        }
        Path local = temp.resolve("runs/point-1");
        assertEquals("FINISHED", Files.readString(local.resolve("status")).trim());
        assertEquals("hello", Files.readString(local.resolve("artifacts/notes/note.txt")));
        assertTrue(Files.readString(local.resolve("params.json")).contains("\"n_f\": \"32\""));
        assertEquals("32", view.params(childMlflowId).get("n_f"));
        assertEquals(parentMlflowId, view.tags(childMlflowId).get("mlflow.parentRunId"));
        assertEquals(Map.of("notes/note.txt", 5L), view.artifacts(childMlflowId, "notes"));
        assertFalse(childMlflowId.startsWith("pending-"));
    }

    @Test
    void aRunTheServerRefusesIsDroppedWithoutFailingOrBlockingTheCaller() {
        String experiment = "shortrun-test-" + UUID.randomUUID();
        try (MlflowTracker tracker = new MlflowTracker(server.uri())) {
            RunHandle first = tracker.startRun(experiment, "first", Map.of(), null);
            first.finish(RunHandle.FINISHED);
            view.deleteExperiment(view.experimentId(experiment)); // runs/create now answers 400

            long started = System.nanoTime();
            RunHandle refused = tracker.startRun(experiment, "refused", Map.of(), null);
            RunHandle child = tracker.startRun(experiment, "child-of-refused", Map.of(), refused.id());
            refused.logParams(Map.of("a", "1"));
            refused.logMetrics(0, Map.of("loss", 1.0));
            refused.logArtifact(TestFiles.text(temp, "x.txt", "x"), "");
            refused.finish(RunHandle.FINISHED);
            child.finish(RunHandle.FINISHED);
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            assertTrue(elapsedMs < 3_000, "a refused run held the caller for " + elapsedMs + " ms");
            assertTrue(refused.id().startsWith("pending-"), refused.id());
            assertEquals("FINISHED", view.status(first.id()));
        }
    }

    /** A run killed at step 5 and resumed from a checkpoint at step 2 logs steps 3..5 again: they are sent once. */
    @Test
    void aReopenedRunSendsOnlyTheStepsItsEarlierAttemptDidNotReach() {
        String experiment = "shortrun-test-" + UUID.randomUUID();
        String id;
        try (MlflowTracker tracker = new MlflowTracker(server.uri())) {
            RunHandle killed = tracker.startRun(experiment, "resumed", Map.of(), null, true);
            for (int step = 1; step <= 5; step++) {
                killed.logMetrics(step, Map.of("loss", (double) step));
            }
            killed.logMetrics(1, Map.of("first_only", 7.0));
            killed.close(); // sent, but no terminal status: the process died
            id = killed.id();
        }
        assertEquals("RUNNING", view.status(id));
        try (MlflowTracker tracker = new MlflowTracker(server.uri())) {
            RunHandle again = tracker.startRun(experiment, "resumed", Map.of(), null, true);
            again.skipStepsAlreadyRecorded();
            for (int step = 3; step <= 8; step++) {
                again.logMetrics(step, Map.of("loss", 10.0 + step, "first_only", 7.0));
            }
            again.finish(RunHandle.FINISHED);
            assertEquals(id, again.id());
        }
        List<double[]> loss = view.history(id, "loss");
        assertEquals(List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0), loss.stream().map(p -> p[0]).toList());
        assertEquals(List.of(1.0, 2.0, 3.0, 4.0, 5.0, 16.0, 17.0, 18.0), loss.stream().map(p -> p[1]).toList());
        // each metric's own last step counts (1 here), not the run's (5): steps 3..8 are all new for it
        assertEquals(7, view.history(id, "first_only").size());
        assertEquals("FINISHED", view.status(id));

        // per-checkpoint metrics may come in any order, so a plain reopen records an earlier step too
        try (MlflowTracker tracker = new MlflowTracker(server.uri())) {
            RunHandle step = tracker.startRun(experiment, "resumed", Map.of(), null, true);
            step.logMetrics(2, Map.of("loss", 0.5));
        }
        assertEquals(9, view.history(id, "loss").size());
    }

    private static double lossAt(int child, int step) {
        return 1.0 / (step + 1) + child;
    }
}
