package dev.shortrun.steps.tracking;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.shortrun.steps.tracking.MlflowRest.MlflowRejectedException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One run's requests over MLflow's REST API. */
final class MlflowRunRequests implements RunTransport {
    /** The tracker's name of a run (its local folder), by which it is found again; the UI shows the display name. */
    static final String RUN_NAME_TAG = "shortrun.run_name";
    /** MLflow's run name, which its UI shows; a caller may give one in the tags, else it is the run's name. */
    static final String DISPLAY_NAME_TAG = "mlflow.runName";
    private static final String ARTIFACT_PROXY = "mlflow-artifacts:/";

    /**
     * What the server needs to create or find the run.
     *
     * @param parentRef the parent's MLflow id or a placeholder from {@link ParentRuns}, or null
     * @param start     whether to reopen the newest run of this name (and {@link Tracker#RUN_KEY_TAG}, when the tags
     *                  hold one), and whether it is RUNNING again
     */
    record Identity(String experiment, String runName, Map<String, String> tags, String parentRef,
            Tracker.Start start, long startTimeMs) {}

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
        JsonObject found = identity.start() != Tracker.Start.NEW ? newestRunNamed(experimentId) : null;
        if (found != null) {
            JsonObject info = found.getAsJsonObject("info");
            String runId = info.get("run_id").getAsString();
            if (identity.start() == Tracker.Start.CONTINUE) {
                rest.post("runs/update", MlflowPayloads.updateRun(runId, "RUNNING", null));
            }
            return new RunOnServer(runId, experimentId, info.get("artifact_uri").getAsString(),
                    new RunOnServer.Earlier(MlflowPayloads.lastSteps(found)));
        }
        Map<String, String> tags = new LinkedHashMap<>(identity.tags());
        tags.putIfAbsent(DISPLAY_NAME_TAG, identity.runName()); // the name the UI shows may say more than the run's
        tags.put(RUN_NAME_TAG, identity.runName());
        if (parentId != null) {
            tags.put("mlflow.parentRunId", parentId);
        }
        JsonObject info = rest.post("runs/create", MlflowPayloads.createRun(experimentId, tags.get(DISPLAY_NAME_TAG),
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
            upload(run.artifactRoot(), a.copy(), a.dir(), a.name());
        } else if (delivery instanceof Delivery.Dataset d) {
            logInputs(run, d.input());
        } else if (delivery instanceof Delivery.Image i) {
            upload(run.artifactRoot(), i.copy(), ImageLayout.DIR,
                    ImageLayout.fileName(i.key(), i.step(), i.timestampMs(), i.uuid(), false));
            upload(run.artifactRoot(), i.thumbnailCopy(), ImageLayout.DIR,
                    ImageLayout.fileName(i.key(), i.step(), i.timestampMs(), i.uuid(), true));
        } else if (delivery instanceof Delivery.Model m) {
            sendModel(run, m);
        }
    }

    /**
     * Records the dataset input. Two runs of an experiment logging the same new data set at once can both try to
     * insert it (MLflow's server checks, then inserts); the loser is refused with the database's unique-constraint
     * error, and its second try finds the data set there.
     */
    private void logInputs(RunOnServer run, DatasetInput input) {
        try {
            rest.post("runs/log-inputs", MlflowPayloads.logInputs(run.runId(), input));
        } catch (MlflowRejectedException e) {
            String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            if (!message.contains("unique constraint") && !message.contains("duplicate")) {
                throw e;
            }
            rest.post("runs/log-inputs", MlflowPayloads.logInputs(run.runId(), input));
        }
    }

    /**
     * MLflow 3's logged model: created (or, logged by an earlier attempt of the run, found), its files uploaded, made
     * ready, linked to the run as an output, registered; each part once, a retry goes on where the last one stopped.
     */
    private void sendModel(RunOnServer run, Delivery.Model m) {
        if (m.modelId() == null) {
            JsonObject earlier = earlierModel(run, m.name());
            JsonObject info = earlier != null ? earlier : rest.post("logged-models", MlflowPayloads.createLoggedModel(
                    run.experimentId(), m.name(), run.runId(), Map.of())).getAsJsonObject("model")
                    .getAsJsonObject("info");
            m.created(info.get("model_id").getAsString(), info.get("artifact_uri").getAsString(), earlier != null);
        }
        for (Map.Entry<String, Path> file = m.nextFile(); file != null; file = m.nextFile()) {
            String path = file.getKey();
            int slash = path.lastIndexOf('/');
            upload(m.artifactRoot(), file.getValue(), slash < 0 ? "" : path.substring(0, slash),
                    path.substring(slash + 1));
            m.fileSent();
        }
        if (!m.ready()) {
            rest.patch("logged-models/" + m.modelId(), MlflowPayloads.finalizeLoggedModel(m.modelId()));
            rest.post("runs/outputs", MlflowPayloads.logOutputs(run.runId(), m.modelId()));
            m.madeReady();
        }
        if (!m.registered()) {
            register(run, m);
            m.madeRegistered();
        }
    }

    /** A ready model of this name that the run logged before (the run resumed, or its pipeline ran again), or null. */
    private JsonObject earlierModel(RunOnServer run, String name) {
        return MlflowPayloads.firstReadyModel(rest.post("logged-models/search",
                MlflowPayloads.runModelsNamed(run.experimentId(), run.runId(), name)));
    }

    /** A new version of the registered model (created first if need be), unless this model is one already. */
    private void register(RunOnServer run, Delivery.Model m) {
        String name = m.registeredName();
        JsonObject versions = rest.get("model-versions/search", MlflowPayloads.versionsOf(name, run.runId()));
        if (versions.has("model_versions")) {
            for (JsonElement version : versions.getAsJsonArray("model_versions")) {
                if (("models:/" + m.modelId()).equals(version.getAsJsonObject().get("source").getAsString())) {
                    return;
                }
            }
        }
        try {
            rest.post("registered-models/create", MlflowPayloads.createRegisteredModel(name));
        } catch (MlflowRejectedException e) {
            if (!"RESOURCE_ALREADY_EXISTS".equals(e.errorCode())) {
                throw e;
            }
        }
        JsonObject version = rest.post("model-versions/create", MlflowPayloads.createModelVersion(name,
                m.modelId(), run.runId())).getAsJsonObject("model_version");
        // as MLflow's own client does: the model page lists the registry versions made from it
        JsonArray listed = new JsonArray();
        JsonObject entry = new JsonObject();
        entry.addProperty("name", name);
        entry.addProperty("version", version.get("version").getAsString());
        listed.add(entry);
        rest.patch("logged-models/" + m.modelId() + "/tags",
                MlflowPayloads.loggedModelTags("mlflow.modelVersions", listed.toString()));
    }

    @Override
    public void sendMetrics(RunOnServer run, List<MetricPoint> points) {
        logBatch(run, "metrics", MlflowPayloads.metrics(points));
    }

    @Override
    public void setStatus(RunOnServer run, String status, long endTimeMs) {
        rest.post("runs/update", MlflowPayloads.updateRun(run.runId(), status, endTimeMs));
    }

    /** The newest run of this name: by its name tag, or by its display name when it was logged before that tag. */
    private JsonObject newestRunNamed(String experimentId) {
        JsonObject found = newestRunTagged(experimentId, RUN_NAME_TAG);
        return found != null ? found : newestRunTagged(experimentId, DISPLAY_NAME_TAG);
    }

    private JsonObject newestRunTagged(String experimentId, String tag) {
        JsonObject found = rest.post("runs/search", MlflowPayloads.newestRunTagged(experimentId, tag,
                identity.runName(), identity.tags().get(Tracker.RUN_KEY_TAG)));
        if (!found.has("runs") || found.getAsJsonArray("runs").isEmpty()) {
            return null;
        }
        return found.getAsJsonArray("runs").get(0).getAsJsonObject();
    }

    private void logBatch(RunOnServer run, String field, JsonArray entries) {
        rest.post("runs/log-batch", MlflowPayloads.logBatch(run.runId(), field, entries));
    }

    /** Uploads {@code file} as {@code dir/name} under an artifact root (a run's, a model's). */
    private void upload(String root, Path file, String dir, String name) {
        rest.putArtifact(proxyPath(root) + "/" + (dir.isEmpty() ? "" : dir + "/") + name, file);
    }

    /**
     * The path of an artifact root on the server's artifact proxy: the root without its scheme, e.g.
     * {@code <experimentId>/<runId>/artifacts} for {@code mlflow-artifacts:/<experimentId>/<runId>/artifacts}.
     */
    static String proxyPath(String root) {
        if (!root.startsWith(ARTIFACT_PROXY)) {
            throw new MlflowRejectedException("artifact root " + root + " is not served by the tracking server; "
                    + "start it with artifact serving (infra/mlflow/start.sh does)", "NO_ARTIFACT_PROXY");
        }
        return root.substring(ARTIFACT_PROXY.length()).replaceAll("^/+", "").replaceAll("/+$", "");
    }
}
