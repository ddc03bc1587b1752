package dev.shortrun.steps.tracking;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.shortrun.steps.tracking.MlflowRest.MlflowRejectedException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One run's requests over MLflow's REST API. */
final class MlflowRunRequests implements RunTransport {
    private static final String ARTIFACT_PROXY = "mlflow-artifacts:/";

    /**
     * What the server needs to create or find the run.
     *
     * @param parentRef the parent's MLflow id or a placeholder from {@link ParentRuns}, or null
     * @param resume    reopen the newest run of this name when there is one
     */
    record Identity(String experiment, String runName, Map<String, String> tags, String parentRef, boolean resume,
            long startTimeMs) {}

    private final MlflowRest rest;
    private final Experiments experiments;
    private final ParentRuns parents;
    private final Identity identity;

    MlflowRunRequests(MlflowRest rest, Experiments experiments, ParentRuns parents, Identity identity) {
        this.rest = rest;
        this.experiments = experiments;
        this.parents = parents;
        this.identity = identity;
    }

    @Override
    public RunOnServer create() {
        String parentId = identity.parentRef() == null ? null : parents.resolve(identity.parentRef()).orElse(null);
        String experimentId = experiments.id(identity.experiment());
        JsonObject found = identity.resume() ? newestRunNamed(experimentId) : null;
        if (found != null) {
            JsonObject info = found.getAsJsonObject("info");
            String runId = info.get("run_id").getAsString();
            rest.post("runs/update", MlflowPayloads.updateRun(runId, "RUNNING", null));
            return new RunOnServer(runId, experimentId, info.get("artifact_uri").getAsString(),
                    new RunOnServer.Earlier(MlflowPayloads.lastSteps(found), info.get("status").getAsString(),
                            info.has("end_time") ? info.get("end_time").getAsLong() : 0));
        }
        Map<String, String> tags = new LinkedHashMap<>(identity.tags());
        tags.put("mlflow.runName", identity.runName());
        if (parentId != null) {
            tags.put("mlflow.parentRunId", parentId);
        }
        JsonObject info = rest.post("runs/create", MlflowPayloads.createRun(experimentId, identity.runName(),
                identity.startTimeMs(), tags)).getAsJsonObject("run").getAsJsonObject("info");
        return new RunOnServer(info.get("run_id").getAsString(), experimentId,
                info.get("artifact_uri").getAsString(), RunOnServer.Earlier.none());
    }

    @Override
    public void send(RunOnServer run, Delivery delivery) {
        if (delivery instanceof Delivery.Params p) {
            logBatch(run, "params", MlflowPayloads.params(p.params()));
        } else if (delivery instanceof Delivery.Tag t) {
            logBatch(run, "tags", MlflowPayloads.tag(t.key(), t.value()));
        } else if (delivery instanceof Delivery.Artifact a) {
            upload(run, a.copy(), a.dir(), a.name());
        }
    }

    @Override
    public void sendMetrics(RunOnServer run, List<MetricPoint> points) {
        logBatch(run, "metrics", MlflowPayloads.metrics(points));
    }

    @Override
    public void setStatus(RunOnServer run, String status, long endTimeMs) {
        rest.post("runs/update", MlflowPayloads.updateRun(run.runId(), status, endTimeMs));
    }

    private JsonObject newestRunNamed(String experimentId) {
        JsonObject found = rest.post("runs/search", MlflowPayloads.newestRunNamed(experimentId, identity.runName()));
        if (!found.has("runs") || found.getAsJsonArray("runs").isEmpty()) {
            return null;
        }
        return found.getAsJsonArray("runs").get(0).getAsJsonObject();
    }

    private void logBatch(RunOnServer run, String field, JsonArray entries) {
        rest.post("runs/log-batch", MlflowPayloads.logBatch(run.runId(), field, entries));
    }

    private void upload(RunOnServer run, Path file, String dir, String name) {
        String root = run.artifactRoot();
        if (!root.startsWith(ARTIFACT_PROXY)) {
            throw new MlflowRejectedException("run artifact root " + root + " is not served by the tracking server; "
                    + "start it with artifact serving (infra/mlflow/start.sh does)", "NO_ARTIFACT_PROXY");
        }
        // The proxy path is the artifact root without its scheme: <experimentId>/<runId>/artifacts/...
        String path = root.substring(ARTIFACT_PROXY.length()).replaceAll("^/+", "").replaceAll("/+$", "");
        rest.putArtifact(path + "/" + (dir.isEmpty() ? "" : dir + "/") + name, file);
    }
}
