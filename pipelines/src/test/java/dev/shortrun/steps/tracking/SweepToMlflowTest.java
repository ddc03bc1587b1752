package dev.shortrun.steps.tracking;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.shortrun.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code shortrun sweep} of 3 points against a real MLflow server (started through infra/mlflow unless
 * MLFLOW_TRACKING_URI names one): the REST API then shows the parent run, its 3 children with their params,
 * metric histories and pictures, and the parent's summary table.
 */
class SweepToMlflowTest {
    @Test
    void sweepLandsInMlflowAsParentWithChildren(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("toy.yaml"), String.join("\n",
                "name: toy", "dataset: {name: gmm}", "model: {n_f: 8}", "sampler: {K: 5}",
                "learner: {iterations: 6, batch: 32}", "checkpoints: {every: 3, grid_every: 3}", "steps: [sample]",
                "sample: {n: 16, k_values: [0, 5, 10]}", "resources: {threads_per_worker: 1}", ""));
        String sweepName = "mlflow-sweep-" + System.nanoTime();
        Path sweep = dir.resolve("sweep.yaml");
        Files.writeString(sweep, String.join("\n", "base: toy.yaml", "name: " + sweepName, "max_concurrency: 2",
                "axes:", "  grid:", "    learner.lr: [1.0e-4, 3.0e-4, 1.0e-3]", ""));
        try (MlflowTestServer server = MlflowTestServer.fromEnvOrStart()) {
            int code = Main.run("sweep", sweep.toString(), "--mlflow-uri", server.uri(), "--trigger", "ci",
                    "--set", "output=" + dir.resolve("out"));
            assertEquals(0, code, "sweep failed");

            MlflowServerView view = new MlflowServerView(server.uri());
            String experimentId = view.experimentId(sweepName);
            JsonObject parent = onlyRun(server.uri(), experimentId, "tags.shortrun.sweep = '" + sweepName + "'");
            String parentId = parent.getAsJsonObject("info").get("run_id").getAsString();
            assertEquals("FINISHED", view.status(parentId));
            Map<String, String> parentTags = view.tags(parentId);
            assertEquals("ci", parentTags.get("trigger"));
            assertEquals(sweepName, parentTags.get("mlflow.runName"));
            assertTrue(parentTags.getOrDefault("shortrun.spec_hash", "").matches("[0-9a-f]{12}"), "tags: " + parentTags);
            assertTrue(parentTags.containsKey("shortrun.git_commit"), "tags: " + parentTags);
            assertTrue(view.artifacts(parentId, "").containsKey(sweepName + ".csv"), "summary table on the parent");

            List<String> children = view.childNames(experimentId, parentId);
            assertEquals(3, children.size(), "children: " + children);
            for (String childName : children) {
                JsonObject child = onlyRun(server.uri(), experimentId, "tags.mlflow.runName = '" + childName + "'");
                String id = child.getAsJsonObject("info").get("run_id").getAsString();
                assertEquals("FINISHED", view.status(id));
                assertEquals(parentTags.get("shortrun.git_commit"), view.tags(id).get("shortrun.git_commit"),
                        "each run names the code it ran");
                Map<String, String> params = view.params(id);
                assertEquals("6", params.get("learner.iterations"), "params: " + params);
                assertTrue(params.containsKey("learner.lr") && params.containsKey("sampler.K"), "params: " + params);
                assertEquals(6, view.history(id, "f_diff").size(), "one f_diff point per iteration");
                assertEquals(6, view.history(id, "grad_norm").size());
                Map<String, Long> samples = view.artifacts(id, "samples");
                assertTrue(samples.keySet().stream().anyMatch(f -> f.contains("fresh-iter-000006.png")),
                        "sample step picture: " + samples.keySet());
                assertTrue(samples.keySet().stream().anyMatch(f -> f.contains("k-transition")), "K strip");
                assertTrue(view.artifacts(id, "checkpoint").keySet().stream().anyMatch(f -> f.endsWith(".safetensors")),
                        "final checkpoint");
                assertTrue(view.artifacts(id, "").containsKey("spec.json"), "resolved spec");
            }
        }
    }

    /** runs/search in one experiment with a filter; exactly one run must match. */
    private static JsonObject onlyRun(String uri, String experimentId, String filter) throws Exception {
        JsonObject body = new JsonObject();
        body.add("experiment_ids", JsonParser.parseString("[\"" + experimentId + "\"]"));
        body.addProperty("filter", filter);
        HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(uri + "/api/2.0/mlflow/runs/search")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, reply.statusCode(), reply.body());
        JsonObject json = JsonParser.parseString(reply.body()).getAsJsonObject();
        assertTrue(json.has("runs"), "no run matches " + filter);
        List<JsonElement> runs = json.getAsJsonArray("runs").asList();
        assertEquals(1, runs.size(), "runs matching " + filter);
        return runs.get(0).getAsJsonObject();
    }
}
