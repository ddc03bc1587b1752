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

    /** {@code runs/search} for the newest run named {@code runName} in the experiment. */
    static JsonObject newestRunNamed(String experimentId, String runName) {
        JsonObject body = new JsonObject();
        body.add("experiment_ids", array(experimentId));
        body.addProperty("filter", "tags.mlflow.runName = '" + runName.replace("'", "\\'") + "'");
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
}
