package dev.shortrun.steps.tracking;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What the server holds, read back through the REST API the way a user's tools would. */
public final class MlflowServerView {
    private final MlflowRest rest;

    public MlflowServerView(String uri) {
        this.rest = new MlflowRest(uri, Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    public JsonObject run(String runId) {
        return rest.get("runs/get", Map.of("run_id", runId)).getAsJsonObject("run");
    }

    public String status(String runId) {
        return run(runId).getAsJsonObject("info").get("status").getAsString();
    }

    public Map<String, String> params(String runId) {
        return keyValues(run(runId).getAsJsonObject("data").getAsJsonArray("params"));
    }

    public Map<String, String> tags(String runId) {
        return keyValues(run(runId).getAsJsonObject("data").getAsJsonArray("tags"));
    }

    /** Full history of one metric as step -> value, every point (max_results covers the whole history). */
    public List<double[]> history(String runId, String key) {
        JsonObject reply = rest.get("metrics/get-history",
                Map.of("run_id", runId, "metric_key", key, "max_results", "25000"));
        List<double[]> points = new ArrayList<>();
        if (reply.has("metrics")) {
            for (JsonElement e : reply.getAsJsonArray("metrics")) {
                JsonObject m = e.getAsJsonObject();
                points.add(new double[] {m.get("step").getAsLong(), m.get("value").getAsDouble()});
            }
        }
        points.sort((a, b) -> Double.compare(a[0], b[0]));
        return points;
    }

    /** Artifact path -> size in bytes (directories as -1) directly under {@code path} ("" = run root). */
    public Map<String, Long> artifacts(String runId, String path) {
        return files(rest.get("artifacts/list", Map.of("run_id", runId, "path", path)));
    }

    public String experimentId(String name) {
        return rest.get("experiments/get-by-name", Map.of("experiment_name", name))
                .getAsJsonObject("experiment").get("experiment_id").getAsString();
    }

    void deleteExperiment(String experimentId) {
        JsonObject body = new JsonObject();
        body.addProperty("experiment_id", experimentId);
        rest.post("experiments/delete", body);
    }

    /** Ids of every run in an experiment. */
    public List<String> runIds(String experimentId) {
        JsonObject reply = search("runs/search", experimentId, null);
        List<String> runs = new ArrayList<>();
        if (reply.has("runs")) {
            reply.getAsJsonArray("runs").forEach(e -> runs.add(e.getAsJsonObject().getAsJsonObject("info")
                    .get("run_id").getAsString()));
        }
        return runs;
    }

    /** The runs (info, data) of an experiment that match an MLflow search filter, oldest first. */
    public List<JsonObject> search(String experimentId, String filter) {
        JsonObject body = new JsonObject();
        JsonArray ids = new JsonArray();
        ids.add(experimentId);
        body.add("experiment_ids", ids);
        body.addProperty("filter", filter);
        body.addProperty("max_results", 1000);
        JsonArray order = new JsonArray();
        order.add("attributes.start_time ASC");
        body.add("order_by", order);
        JsonObject reply = rest.post("runs/search", body);
        List<JsonObject> runs = new ArrayList<>();
        if (reply.has("runs")) {
            reply.getAsJsonArray("runs").forEach(e -> runs.add(e.getAsJsonObject()));
        }
        return runs;
    }

    /** Run names of the runs in an experiment whose parent is {@code parentRunId}. */
    public List<String> childNames(String experimentId, String parentRunId) {
        JsonObject reply = search("runs/search", experimentId, "tags.mlflow.parentRunId = '" + parentRunId + "'");
        List<String> names = new ArrayList<>();
        if (reply.has("runs")) {
            for (JsonElement e : reply.getAsJsonArray("runs")) {
                names.add(e.getAsJsonObject().getAsJsonObject("info").get("run_name").getAsString());
            }
        }
        names.sort(String::compareTo);
        return names;
    }

    /** The run's dataset inputs, as {@code runs/get} gives them ({@code dataset_inputs}). */
    JsonArray datasetInputs(String runId) {
        JsonObject inputs = run(runId).getAsJsonObject("inputs");
        return inputs != null && inputs.has("dataset_inputs") ? inputs.getAsJsonArray("dataset_inputs")
                : new JsonArray();
    }

    /** The infos of the logged models a run made (MLflow 3). */
    List<JsonObject> loggedModels(String experimentId, String runId) {
        JsonObject reply = search("logged-models/search", experimentId, "source_run_id = '" + runId + "'");
        List<JsonObject> models = new ArrayList<>();
        if (reply.has("models")) {
            reply.getAsJsonArray("models").forEach(m -> models.add(m.getAsJsonObject().getAsJsonObject("info")));
        }
        return models;
    }

    /** The versions of a registered model. */
    List<JsonObject> modelVersions(String name) {
        JsonObject reply = rest.get("model-versions/search", Map.of("filter", "name = '" + name + "'"));
        List<JsonObject> versions = new ArrayList<>();
        if (reply.has("model_versions")) {
            reply.getAsJsonArray("model_versions").forEach(v -> versions.add(v.getAsJsonObject()));
        }
        return versions;
    }

    /** Gives a registered model's version an alias, as a user does in the UI. */
    void setAlias(String name, String alias, String version) {
        JsonObject body = new JsonObject();
        body.addProperty("name", name);
        body.addProperty("alias", alias);
        body.addProperty("version", version);
        rest.post("registered-models/alias", body);
    }

    /** File name -> size in bytes (folders -1) in a folder of the artifact proxy, e.g. a logged model's root. */
    Map<String, Long> proxyArtifacts(String artifactUri) {
        return files(rest.listArtifacts(MlflowRunRequests.proxyPath(artifactUri)));
    }

    /** A search in one experiment ({@code runs/search}, {@code logged-models/search}); a null filter finds all. */
    private JsonObject search(String endpoint, String experimentId, String filter) {
        JsonObject body = new JsonObject();
        JsonArray ids = new JsonArray();
        ids.add(experimentId);
        body.add("experiment_ids", ids);
        if (filter != null) {
            body.addProperty("filter", filter);
        }
        return rest.post(endpoint, body);
    }

    /** A listing's file name -> size in bytes (folders -1). */
    private static Map<String, Long> files(JsonObject reply) {
        Map<String, Long> files = new HashMap<>();
        if (reply.has("files")) {
            for (JsonElement e : reply.getAsJsonArray("files")) {
                JsonObject f = e.getAsJsonObject();
                files.put(f.get("path").getAsString(),
                        f.get("is_dir").getAsBoolean() ? -1L : f.get("file_size").getAsLong());
            }
        }
        return files;
    }

    private static Map<String, String> keyValues(JsonArray array) {
        Map<String, String> map = new HashMap<>();
        if (array != null) {
            for (JsonElement e : array) {
                map.put(e.getAsJsonObject().get("key").getAsString(), e.getAsJsonObject().get("value").getAsString());
            }
        }
        return map;
    }
}
