package dev.shortrun.steps.tracking;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;

/** The JSON bodies of the MLflow REST requests a run makes, and MLflow's limits on them. */
final class MlflowPayloads {
    static final int MAX_METRICS_PER_BATCH = 1000;
    static final int MAX_PARAMS_OR_TAGS_PER_BATCH = 100;
    static final int MAX_PARAM_VALUE_LENGTH = 6000;
    static final int MAX_TAG_VALUE_LENGTH = 8000;
    /** A logged model's status once its files are all up. */
    static final String READY = "LOGGED_MODEL_READY";

    private MlflowPayloads() {}

    /** {@code runs/create}: the run's name and tags ({@code mlflow.runName}, the parent's id if any). */
    static JsonObject createRun(String experimentId, String runName, long startTimeMs, Map<String, String> tags) {
        JsonArray entries = new JsonArray();
        tags.forEach((k, v) -> entries.add(keyValue(k, truncated(v, MAX_TAG_VALUE_LENGTH))));
        JsonObject body = new JsonObject();
        body.addProperty("experiment_id", experimentId);
        body.addProperty("run_name", runName);
        body.addProperty("start_time", startTimeMs);
        body.add("tags", entries);
        return body;
    }

    /**
     * {@code runs/search} for the newest run in the experiment whose tag {@code key} is {@code value}, and whose
     * {@link Tracker#RUN_KEY_TAG} is {@code runKey} unless that is null.
     */
    static JsonObject newestRunTagged(String experimentId, String key, String value, String runKey) {
        JsonObject body = new JsonObject();
        body.add("experiment_ids", array(experimentId));
        body.addProperty("filter", "tags.`" + key + "` = " + quoted(value)
                + (runKey == null ? "" : " and tags.`" + Tracker.RUN_KEY_TAG + "` = " + quoted(runKey)));
        body.add("order_by", array("attributes.start_time DESC"));
        body.addProperty("max_results", 1);
        return body;
    }

    /** {@code runs/update}: a status, and the end time for a terminal one (null: none). */
    static JsonObject updateRun(String runId, String status, Long endTimeMs) {
        JsonObject body = new JsonObject();
        body.addProperty("run_id", runId);
        body.addProperty("status", status);
        if (endTimeMs != null) {
            body.addProperty("end_time", endTimeMs);
        }
        return body;
    }

    /** {@code runs/log-batch} of one of {@code params}, {@code tags} or {@code metrics}. */
    static JsonObject logBatch(String runId, String field, JsonArray entries) {
        JsonObject body = new JsonObject();
        body.addProperty("run_id", runId);
        body.add(field, entries);
        return body;
    }

    static JsonArray params(List<Map.Entry<String, String>> params) {
        JsonArray entries = new JsonArray();
        params.forEach(e -> entries.add(keyValue(e.getKey(), truncated(e.getValue(), MAX_PARAM_VALUE_LENGTH))));
        return entries;
    }

    static JsonArray tag(String key, String value) {
        JsonArray entries = new JsonArray();
        entries.add(keyValue(key, truncated(value, MAX_TAG_VALUE_LENGTH)));
        return entries;
    }

    static JsonArray metrics(List<MetricPoint> points) {
        JsonArray entries = new JsonArray();
        for (MetricPoint p : points) {
            JsonObject m = new JsonObject();
            m.addProperty("key", p.key());
            // MLflow's JSON reads non-finite doubles as the strings "NaN", "Infinity", "-Infinity".
            if (Double.isFinite(p.value())) {
                m.addProperty("value", p.value());
            } else {
                m.addProperty("value", Double.toString(p.value()));
            }
            m.addProperty("timestamp", p.timestampMs());
            m.addProperty("step", p.step());
            entries.add(m);
        }
        return entries;
    }

    /** {@code runs/log-inputs} of one dataset input. */
    static JsonObject logInputs(String runId, DatasetInput input) {
        JsonObject dataset = new JsonObject();
        dataset.addProperty("name", input.name());
        dataset.addProperty("digest", input.digest());
        dataset.addProperty("source_type", input.sourceType());
        dataset.addProperty("source", input.source());
        if (input.schema() != null) {
            dataset.addProperty("schema", input.schema());
        }
        if (input.profile() != null) {
            dataset.addProperty("profile", input.profile());
        }
        JsonObject entry = new JsonObject();
        entry.add("tags", tag("mlflow.data.context", input.context()));
        entry.add("dataset", dataset);
        JsonObject body = new JsonObject();
        body.addProperty("run_id", runId);
        body.add("datasets", array(entry));
        return body;
    }

    /** {@code logged-models} (POST, MLflow 3): a model of a run, pending until its files are up. */
    static JsonObject createLoggedModel(String experimentId, String name, String runId, Map<String, String> tags) {
        JsonObject body = new JsonObject();
        body.addProperty("experiment_id", experimentId);
        body.addProperty("name", name);
        body.addProperty("source_run_id", runId);
        JsonArray entries = new JsonArray();
        tags.forEach((k, v) -> entries.add(keyValue(k, truncated(v, MAX_TAG_VALUE_LENGTH))));
        body.add("tags", entries);
        return body;
    }

    /** {@code logged-models/search}: the run's models of that name. */
    static JsonObject runModelsNamed(String experimentId, String runId, String name) {
        JsonObject body = new JsonObject();
        body.add("experiment_ids", array(experimentId));
        body.addProperty("filter", "source_run_id = " + quoted(runId) + " AND name = " + quoted(name));
        return body;
    }

    /** The info of the first ready model in a {@code logged-models/search} reply, or null. */
    static JsonObject firstReadyModel(JsonObject reply) {
        if (reply.has("models")) {
            for (JsonElement model : reply.getAsJsonArray("models")) {
                JsonObject info = model.getAsJsonObject().getAsJsonObject("info");
                if (info.has("status") && READY.equals(info.get("status").getAsString())) {
                    return info;
                }
            }
        }
        return null;
    }

    /** {@code model-versions/search}: the versions of a registered model made from a run's models. */
    static Map<String, String> versionsOf(String registeredName, String runId) {
        return Map.of("filter", "name = " + quoted(registeredName) + " AND run_id = " + quoted(runId));
    }

    /** {@code logged-models/<id>} (PATCH): the model's files are all up. */
    static JsonObject finalizeLoggedModel(String modelId) {
        JsonObject body = new JsonObject();
        body.addProperty("model_id", modelId);
        body.addProperty("status", READY);
        return body;
    }

    /** {@code logged-models/<id>/tags} (PATCH). */
    static JsonObject loggedModelTags(String key, String value) {
        JsonObject body = new JsonObject();
        body.add("tags", tag(key, value));
        return body;
    }

    /** {@code runs/outputs}: the model is an output of the run (the run page lists it). */
    static JsonObject logOutputs(String runId, String modelId) {
        JsonObject model = new JsonObject();
        model.addProperty("model_id", modelId);
        model.addProperty("step", 0);
        JsonObject body = new JsonObject();
        body.addProperty("run_id", runId);
        body.add("models", array(model));
        return body;
    }

    /** {@code registered-models/create}. */
    static JsonObject createRegisteredModel(String name) {
        JsonObject body = new JsonObject();
        body.addProperty("name", name);
        return body;
    }

    /** {@code model-versions/create}: a new version of a registered model, from a logged model. */
    static JsonObject createModelVersion(String name, String modelId, String runId) {
        JsonObject body = new JsonObject();
        body.addProperty("name", name);
        body.addProperty("source", "models:/" + modelId);
        body.addProperty("run_id", runId);
        body.addProperty("model_id", modelId);
        return body;
    }

    /** The step of each metric's latest point in a run found by search: its run data holds the highest step's. */
    static RecordedSteps lastSteps(JsonObject run) {
        RecordedSteps steps = new RecordedSteps();
        JsonObject data = run.getAsJsonObject("data");
        if (data != null && data.has("metrics")) {
            for (JsonElement metric : data.getAsJsonArray("metrics")) {
                JsonObject m = metric.getAsJsonObject();
                steps.add(m.get("key").getAsString(), m.has("step") ? m.get("step").getAsLong() : 0);
            }
        }
        return steps;
    }

    /** MLflow refuses longer values; keep the start and say how much was cut. */
    static String truncated(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        String note = "...[truncated by shortrun: " + value.length() + " chars in all]";
        return value.substring(0, max - note.length()) + note;
    }

    /** Text as a quoted string of a search filter. */
    private static String quoted(String value) {
        return "'" + value.replace("'", "\\'") + "'";
    }

    private static JsonObject keyValue(String key, String value) {
        JsonObject kv = new JsonObject();
        kv.addProperty("key", key);
        kv.addProperty("value", value);
        return kv;
    }

    private static JsonArray array(String element) {
        JsonArray array = new JsonArray();
        array.add(element);
        return array;
    }

    private static JsonArray array(JsonObject element) {
        JsonArray array = new JsonArray();
        array.add(element);
        return array;
    }
}
