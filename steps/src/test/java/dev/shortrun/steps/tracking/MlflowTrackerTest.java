package dev.shortrun.steps.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
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

    /**
     * Runs of one name are told apart by their key: continuing or adding to one leaves the other alone; adding
     * records keeps a run's status and end time, and a finish may restore the end time a reused run had.
     */
    @Test
    void runsOfOneNameAreFoundByTheirKeyAndAddingRecordsKeepsTheirStatus() {
        String experiment = "shortrun-test-" + UUID.randomUUID();
        String first;
        String second;
        try (MlflowTracker tracker = new MlflowTracker(server.uri())) {
            RunHandle a = tracker.startRun(experiment, "point", Map.of(Tracker.RUN_KEY_TAG, "key-a"), null,
                    Tracker.Start.CONTINUE);
            a.finish(RunHandle.FINISHED, 1_700_000_000_000L);
            first = a.id();
            RunHandle b = tracker.startRun(experiment, "point", Map.of(Tracker.RUN_KEY_TAG, "key-b"), null,
                    Tracker.Start.CONTINUE);
            b.close();
            second = b.id();
        }
        assertFalse(first.equals(second), "another key is another run");
        try (MlflowTracker tracker = new MlflowTracker(server.uri())) {
            RunHandle add = tracker.startRun(experiment, "point", Map.of(Tracker.RUN_KEY_TAG, "key-a"), null,
                    Tracker.Start.ADD);
            add.logMetrics(6, Map.of("score", 1.0));
            add.close();
            assertEquals(first, add.id());
        }
        assertEquals("FINISHED", view.status(first), "adding records keeps the status");
        assertEquals(1_700_000_000_000L, view.run(first).getAsJsonObject("info").get("end_time").getAsLong());
        assertEquals(1, view.history(first, "score").size());
        assertEquals("RUNNING", view.status(second));
        try (MlflowTracker tracker = new MlflowTracker(server.uri())) {
            tracker.startRun(experiment, "point", Map.of(Tracker.RUN_KEY_TAG, "key-b"), null, Tracker.Start.ADD)
                    .finish(RunHandle.KILLED);
        }
        assertEquals("KILLED", view.status(second));
        assertEquals("FINISHED", view.status(first));
        assertEquals(2, view.runIds(view.experimentId(experiment)).size());
    }

    private static double lossAt(int child, int step) {
        return 1.0 / (step + 1) + child;
    }

    @Test
    void datasetImagesAndModelReachTheServerOnceEachAndTheModelComesBack() throws Exception {
        String experiment = "shortrun-test-" + UUID.randomUUID();
        String registered = "shortrun-test-model-" + UUID.randomUUID().toString().substring(0, 8);
        Path grid = TestFiles.png(temp.resolve("pictures"), "iter-000010.png", 4);
        Path large = temp.resolve("pictures/fresh-iter-000010.png");
        BufferedImage wide = new BufferedImage(600, 300, BufferedImage.TYPE_INT_RGB);
        ImageIO.write(wide, "png", large.toFile());
        Path mlmodel = TestFiles.text(temp.resolve("model"), "MLmodel", "artifact_path: model\nflavors: {}\n");
        Path weights = TestFiles.text(temp.resolve("model"), "iter-000010.safetensors", "weights");
        LoggedModel model = new LoggedModel("model", new TreeMap<>(Map.of("MLmodel", mlmodel,
                "checkpoints/iter-000010.safetensors", weights)), registered);
        DatasetInput gmm = new DatasetInput("gmm", "toy:gmm", "code", "{\"tags\": {}}", null, "{}", "training");
        String runId = null;
        for (int attempt = 0; attempt < 2; attempt++) { // a pipeline run again logs it all again: nothing doubles
            try (MlflowTracker tracker = new MlflowTracker(server.uri())) {
                RunHandle run = tracker.startRun(experiment, "run-a", Map.of("mlflow.runName", "lr=1e-4 #abcdef"),
                        null, true);
                run.logDataset(gmm);
                run.logImage(grid, "samples", 10);
                run.logImage(large, "samples/fresh", 10);
                run.logModel(model);
                run.finish(RunHandle.FINISHED);
                runId = run.id();
            }
        }
        String experimentId = view.experimentId(experiment);
        assertEquals(1, view.runIds(experimentId).size(), "the second attempt reopened the run by its name");
        Map<String, String> tags = view.tags(runId);
        assertEquals("lr=1e-4 #abcdef", tags.get("mlflow.runName"), "the name the UI shows");
        assertEquals("run-a", tags.get("shortrun.run_name"), "the name the run is found by");
        assertEquals("True", tags.get("mlflow.loggedImages"));

        JsonArray inputs = view.datasetInputs(runId);
        assertEquals(1, inputs.size(), "inputs: " + inputs);
        JsonObject dataset = inputs.get(0).getAsJsonObject().getAsJsonObject("dataset");
        assertEquals("gmm", dataset.get("name").getAsString());
        assertEquals("toy:gmm", dataset.get("digest").getAsString());

        Map<String, Long> images = view.artifacts(runId, "images");
        assertEquals(4, images.size(), "a picture and its small copy per image, once: " + images.keySet());
        Pattern layout = Pattern.compile("images/(samples|samples~fresh)\\+step\\+10\\+timestamp\\+\\d+\\+"
                + "[0-9a-f-]{36}(\\+compressed)?\\.png");
        images.keySet().forEach(name -> assertTrue(layout.matcher(name).matches(), name));
        long full = images.entrySet().stream().filter(e -> e.getKey().contains("samples~fresh")
                && !e.getKey().contains("compressed")).findFirst().orElseThrow().getValue();
        long small = images.entrySet().stream().filter(e -> e.getKey().contains("samples~fresh")
                && e.getKey().contains("compressed")).findFirst().orElseThrow().getValue();
        assertTrue(small < full, "the small copy of a 600 px picture is smaller: " + small + " vs " + full);

        List<JsonObject> models = view.loggedModels(experimentId, runId);
        assertEquals(1, models.size(), "one logged model: " + models);
        JsonObject info = models.get(0);
        assertEquals("LOGGED_MODEL_READY", info.get("status").getAsString());
        String modelId = info.get("model_id").getAsString();
        Map<String, Long> files = view.proxyArtifacts(info.get("artifact_uri").getAsString());
        assertTrue(files.containsKey("MLmodel") && files.get("checkpoints") == -1L, "model files: " + files);
        List<JsonObject> versions = view.modelVersions(registered);
        assertEquals(1, versions.size(), "one registry version: " + versions);
        assertEquals("models:/" + modelId, versions.get(0).get("source").getAsString());
        assertEquals(runId, versions.get(0).get("run_id").getAsString());

        MlflowModels models3 = new MlflowModels(server.uri());
        MlflowModels.Found found = models3.find("models:/" + registered + "/1");
        assertEquals(modelId, found.modelId());
        assertEquals(modelId, models3.find("runs:/" + runId + "/model").modelId());
        assertEquals(modelId, models3.find("models:/" + modelId).modelId());
        view.setAlias(registered, "champion", "1");
        assertEquals(modelId, models3.find("models:/" + registered + "@champion").modelId());
        Path downloaded = temp.resolve("downloaded");
        models3.download(found, downloaded);
        assertEquals("artifact_path: model\nflavors: {}\n", Files.readString(downloaded.resolve("MLmodel")));
        assertEquals("weights", Files.readString(downloaded.resolve("checkpoints/iter-000010.safetensors")));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> models3.find("models:/" + registered + "/7"));
        assertTrue(missing.getMessage().contains("has no model models:/" + registered + "/7"), missing.getMessage());
    }
}
