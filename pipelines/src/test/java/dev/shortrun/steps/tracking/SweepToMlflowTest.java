package dev.shortrun.steps.tracking;

import com.google.gson.JsonArray;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code shortrun sweep} of 3 points against a real MLflow server (started through infra/mlflow unless
 * MLFLOW_TRACKING_URI names one): the REST API then shows the parent run as the sweep's summary (description, axes
 * and fixed settings as params, the objective of each point and of the best as metrics, the best child as tags, the
 * table as an MLflow table), its 3 children with names that lead with the swept value, descriptions, lineage tags,
 * params (the base pipeline too), the data set as a dataset input, curves only for what varies, pictures as image
 * series, the final checkpoint as a registered model; and {@code shortrun sample models:/NAME/1} samples from it.
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
                "description: three learning rates", "set:", "  sample.seed: 5", "axes:", "  grid:",
                "    learner.lr: [1.0e-4, 3.0e-4, 1.0e-3]", "objective: {metric: sample_grad_norm, direction: min}",
                ""));
        String registered = sweepName + "-model";
        try (MlflowTestServer server = MlflowTestServer.fromEnvOrStart()) {
            int code = Main.run("sweep", sweep.toString(), "--mlflow-uri", server.uri(), "--trigger", "ci",
                    "--set", "output=" + dir.resolve("out"), "--set", "tracking.register_model=" + registered);
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
            assertTrue(view.artifacts(parentId, "").containsKey(sweepName + ".json"), "and as an MLflow table");
            assertEquals("[{\"path\":\"" + sweepName + ".json\",\"type\":\"table\"}]",
                    parentTags.get("mlflow.loggedArtifacts"));
            assertTrue(parentTags.get("mlflow.note.content").startsWith("**Sweep " + sweepName
                    + "**: three learning rates"), parentTags.get("mlflow.note.content"));
            Map<String, String> parentParams = view.params(parentId);
            assertEquals("learner.lr", parentParams.get("sweep.axes"));
            assertEquals("1.0E-4, 3.0E-4, 0.001", parentParams.get("learner.lr"), "the axis and its values");
            assertEquals("5", parentParams.get("sample.seed"), "what the sweep sets on every point");
            assertEquals("toy", parentParams.get("sweep.base"));

            List<String> children = view.childNames(experimentId, parentId);
            assertEquals(List.of("lr=0.001", "lr=1e-4", "lr=3e-4"), children.stream()
                    .map(n -> n.substring(0, n.indexOf(" #"))).toList(), "names lead with the swept value");
            assertEquals(3, children.stream().map(n -> n.substring(0, Math.min(n.length(), 24))).distinct().count(),
                    "distinct when cut");
            Map<String, Double> gradNorms = new HashMap<>();
            Set<String> colours = new TreeSet<>();
            for (String childName : children) {
                JsonObject child = onlyRun(server.uri(), experimentId, "tags.mlflow.runName = '" + childName + "'");
                String id = child.getAsJsonObject("info").get("run_id").getAsString();
                assertEquals("FINISHED", view.status(id));
                Map<String, String> tags = view.tags(id);
                assertEquals(parentTags.get("shortrun.git_commit"), tags.get("shortrun.git_commit"),
                        "each run names the code it ran");
                assertTrue(tags.get("mlflow.source.git.commit").matches("[0-9a-f]{40}"), "tags: " + tags);
                assertTrue(tags.get("shortrun.git_dirty").matches("true|false"), "tags: " + tags);
                assertEquals(System.getProperty("user.name"), tags.get("mlflow.user"));
                assertEquals("LOCAL", tags.get("mlflow.source.type"));
                assertTrue(tags.get("mlflow.source.name").endsWith("sweep.yaml"), "tags: " + tags);
                assertEquals("sweep", tags.get("mlflow.project.entryPoint"));
                assertTrue(tags.get("shortrun.command_line").startsWith("shortrun sweep " + sweep), "tags: " + tags);
                assertTrue(tags.containsKey("shortrun.version"), "tags: " + tags);
                colours.add(tags.getOrDefault("mlflow.runColor", "none"));
                assertTrue(tags.get("shortrun.run_name").startsWith(sweepName + "-lr"), "the run's folder name");
                assertTrue(tags.get("mlflow.note.content").contains(", point "), tags.get("mlflow.note.content"));
                assertTrue(tags.get("mlflow.note.content").contains("| `sample.seed` | 123 | 5 |"),
                        "what the sweep changed from its base: " + tags.get("mlflow.note.content"));
                Map<String, String> params = view.params(id);
                assertEquals("6", params.get("learner.iterations"), "params: " + params);
                assertTrue(params.containsKey("learner.lr") && params.containsKey("sampler.K"), "params: " + params);
                assertEquals("toy", params.get("pipeline"), "the base pipeline is a param");
                assertFalse(params.containsKey("description"), "text for people is the run's description");
                assertEquals(6, view.history(id, "f_diff").size(), "one f_diff point per iteration");
                assertEquals(6, view.history(id, "grad_norm").size());
                for (String constant : List.of("K", "lr", "sigma")) {
                    assertEquals(List.of(), view.history(id, constant), constant + " is a param, not a curve");
                }
                gradNorms.put(id, view.history(id, "sample_grad_norm").get(1)[1]); // at the last checkpoint, 6
                JsonArray inputs = view.datasetInputs(id);
                assertEquals(1, inputs.size(), "inputs: " + inputs);
                assertEquals("toy:gmm", inputs.get(0).getAsJsonObject().getAsJsonObject("dataset").get("digest")
                        .getAsString());
                Map<String, Long> samples = view.artifacts(id, "samples");
                assertTrue(samples.keySet().stream().anyMatch(f -> f.contains("fresh-iter-000006.png")),
                        "sample step picture: " + samples.keySet());
                assertTrue(samples.keySet().stream().anyMatch(f -> f.contains("k-transition")), "K strip");
                Set<String> series = new TreeSet<>();
                view.artifacts(id, "images").keySet().forEach(f -> series.add(f.replaceAll("\\+timestamp.*", "")));
                assertEquals(new TreeSet<>(List.of("images/samples+step+1", "images/samples+step+3",
                        "images/samples+step+6", "images/samples~fresh+step+3", "images/samples~fresh+step+6",
                        "images/samples~k-transition+step+6")), series, "pictures as image series");
                assertEquals("True", tags.get("mlflow.loggedImages"));
                assertTrue(view.artifacts(id, "checkpoint").keySet().stream().anyMatch(f -> f.endsWith(".safetensors")),
                        "final checkpoint");
                assertTrue(view.artifacts(id, "").containsKey("spec.json"), "resolved spec");
                List<JsonObject> models = view.loggedModels(experimentId, id);
                assertEquals(1, models.size(), "the final checkpoint as a model: " + models);
                Map<String, Long> modelFiles = view.proxyArtifacts(models.get(0).get("artifact_uri").getAsString());
                assertEquals(Set.of("MLmodel", "checkpoints", "spec.json"), modelFiles.keySet());
            }
            assertEquals(3, colours.size(), "each point in a colour of its own: " + colours);
            String best = gradNorms.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
            assertEquals(best, parentTags.get("best_run_id"), "the best child");
            assertEquals(gradNorms.get(best), view.history(parentId, "best_objective").get(0)[1], 1e-12);
            List<double[]> objective = view.history(parentId, "objective");
            assertEquals(3, objective.size(), "the objective of each point");
            List<JsonObject> versions = view.modelVersions(registered);
            assertEquals(3, versions.size(), "each run's model registered: " + versions);

            Path picture = dir.resolve("from-registry.png");
            assertEquals(0, Main.run("sample", "models:/" + registered + "/1", "--mlflow-uri", server.uri(),
                    "--n", "8", "--out", picture.toString()), "sample from the registered model");
            assertTrue(Files.size(picture) > 0);
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
