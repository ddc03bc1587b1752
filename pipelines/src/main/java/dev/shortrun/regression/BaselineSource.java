package dev.shortrun.regression;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.shortrun.config.Regression;
import dev.shortrun.config.Sweep;
import dev.shortrun.pipeline.Invocation;
import dev.shortrun.steps.RunSpec;
import dev.shortrun.steps.tracking.MlflowRest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the gate's baseline comes from: a baseline file ({@code shortrun baseline}), or an earlier parent run of the
 * same sweep in MLflow chosen by its tags ({@code mlflow:trigger=schedule}): the newest FINISHED one other than the
 * candidate's own, whose {@value #RESULTS_ARTIFACT} (logged by every sweep at its end) is the baseline.
 */
public sealed interface BaselineSource {
    /** The artifact every sweep's parent run gets at its end: its {@link SweepResults}. */
    String RESULTS_ARTIFACT = "results/results.json";
    String MLFLOW = "mlflow";

    SweepResults load(SweepFolder candidate);

    /**
     * From {@code compare --baseline}: null means the sweep's {@code regression.baseline}.
     */
    static BaselineSource parse(String option, Regression regression, Sweep sweep) {
        if (option == null || option.isBlank()) {
            if (regression.baseline() == null) {
                throw new IllegalArgumentException("no baseline: the sweep " + sweep.name() + " names no "
                        + "regression.baseline file; give --baseline FILE or --baseline mlflow[:TAG=VALUE,...]");
            }
            return new File(regression.baseline());
        }
        if (option.equals(MLFLOW) || option.startsWith(MLFLOW + ":")) {
            Map<String, String> tags = new LinkedHashMap<>();
            String rest = option.length() > MLFLOW.length() ? option.substring(MLFLOW.length() + 1) : "";
            for (String pair : rest.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("--baseline " + option + ": expected mlflow:TAG=VALUE[,TAG="
                            + "VALUE...], e.g. mlflow:trigger=schedule; '" + pair + "' has no '='");
                }
                tags.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
            return new Mlflow(tags);
        }
        return new File(Path.of(option));
    }

    record File(Path path) implements BaselineSource {
        @Override
        public SweepResults load(SweepFolder candidate) {
            return SweepResults.readFile(path);
        }
    }

    /** The newest FINISHED parent run of the sweep with these tags, other than the candidate's own. */
    record Mlflow(Map<String, String> tags) implements BaselineSource {
        @Override
        public SweepResults load(SweepFolder candidate) {
            RunSpec first = candidate.sweep().points().get(0);
            String uri = first.tracking().mlflowUri();
            if (uri == null || uri.isBlank()) {
                throw new IllegalArgumentException("--baseline mlflow needs an MLflow server: give --mlflow-uri URI "
                        + "or set MLFLOW_TRACKING_URI");
            }
            MlflowRest rest = new MlflowRest(uri, Duration.ofSeconds(5), Duration.ofSeconds(30));
            String experiment = first.tracking().experiment();
            String experimentId = rest.get("experiments/get-by-name", Map.of("experiment_name", experiment))
                    .getAsJsonObject("experiment").get("experiment_id").getAsString();
            String own = Invocation.read(candidate.root()).map(Invocation::parentKey).orElse(null);
            List<String> filter = new ArrayList<>(List.of("tags.`shortrun.sweep` = " + quoted(candidate.sweep()
                    .name()), "attributes.status = 'FINISHED'"));
            tags.forEach((k, v) -> filter.add("tags.`" + k + "` = " + quoted(v)));
            JsonObject body = new JsonObject();
            JsonArray ids = new JsonArray();
            ids.add(experimentId);
            body.add("experiment_ids", ids);
            body.addProperty("filter", String.join(" and ", filter));
            JsonArray order = new JsonArray();
            order.add("attributes.start_time DESC");
            body.add("order_by", order);
            body.addProperty("max_results", 50);
            JsonArray runs = rest.post("runs/search", body).getAsJsonArray("runs");
            for (JsonElement e : runs == null ? new JsonArray() : runs) {
                JsonObject run = e.getAsJsonObject();
                if (own != null && own.equals(tag(run, "shortrun.run_key"))) {
                    continue; // the candidate's own parent: a run is not its own baseline
                }
                JsonObject info = run.getAsJsonObject("info");
                String root = info.get("artifact_uri").getAsString();
                if (!root.startsWith("mlflow-artifacts:/")) {
                    throw new IllegalArgumentException("the MLflow run " + info.get("run_id").getAsString()
                            + " keeps its artifacts at " + root + ", which the server does not serve; start it with "
                            + "artifact serving (infra/mlflow/start.sh does)");
                }
                String proxy = root.substring("mlflow-artifacts:/".length()).replaceAll("^/+", "") + "/"
                        + RESULTS_ARTIFACT;
                try {
                    Path tmp = Files.createTempFile("shortrun-baseline", ".json");
                    try {
                        rest.getArtifact(proxy, tmp);
                        SweepResults r = SweepResults.parse(Files.readString(tmp), "MLflow run "
                                + info.get("run_id").getAsString());
                        String where = uri + "/#/experiments/" + experimentId + "/runs/" + info.get("run_id")
                                .getAsString();
                        return new SweepResults(r.format(), r.sweep(), r.code(), where, r.recordedAt(), r.runs());
                    } finally {
                        Files.deleteIfExists(tmp);
                    }
                } catch (MlflowRest.MlflowRejectedException missing) {
                    // a parent run without results.json (stopped early, or older shortrun): look further back
                } catch (IOException io) {
                    throw new IllegalStateException("cannot read the baseline from MLflow: " + io.getMessage(), io);
                }
            }
            throw new IllegalArgumentException("no baseline in MLflow at " + uri + ": no FINISHED parent run of sweep "
                    + candidate.sweep().name() + " in experiment " + experiment + (tags.isEmpty() ? ""
                    : " with tags " + tags) + " other than the candidate's own, with " + RESULTS_ARTIFACT);
        }

        private static String tag(JsonObject run, String key) {
            JsonObject data = run.getAsJsonObject("data");
            JsonArray tags = data == null ? null : data.getAsJsonArray("tags");
            for (JsonElement t : tags == null ? new JsonArray() : tags) {
                if (key.equals(t.getAsJsonObject().get("key").getAsString())) {
                    return t.getAsJsonObject().get("value").getAsString();
                }
            }
            return null;
        }

        private static String quoted(String text) {
            return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
    }
}
