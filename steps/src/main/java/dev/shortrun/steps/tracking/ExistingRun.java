package dev.shortrun.steps.tracking;

import com.google.gson.JsonObject;
import dev.shortrun.steps.tracking.MlflowRest.MlflowRejectedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A run that already exists on an MLflow server, found by its key ({@link Tracker#RUN_KEY_TAG}), to add files to
 * after it ended (a sweep's report on its parent run). Never creates a run or an experiment, and makes each request
 * once, with short timeouts: the caller says what to do when the server is away.
 */
public final class ExistingRun {
    private final MlflowRest rest;
    private final String experimentId;
    private final String runId;
    private final String artifactRoot;

    private ExistingRun(MlflowRest rest, String experimentId, String runId, String artifactRoot) {
        this.rest = rest;
        this.experimentId = experimentId;
        this.runId = runId;
        this.artifactRoot = artifactRoot;
    }

    /**
     * The newest run of {@code experiment} tagged with {@code runKey}; empty when the experiment or the run is not
     * there.
     *
     * @throws MlflowRest.MlflowUnavailableException when the server cannot be reached or fails
     */
    public static Optional<ExistingRun> find(String trackingUri, String experiment, String runKey) {
        MlflowRest rest = new MlflowRest(trackingUri.trim(), Duration.ofSeconds(2), Duration.ofSeconds(15));
        String experimentId;
        try {
            experimentId = rest.get("experiments/get-by-name", Map.of("experiment_name", experiment))
                    .getAsJsonObject("experiment").get("experiment_id").getAsString();
        } catch (MlflowRejectedException e) {
            if ("RESOURCE_DOES_NOT_EXIST".equals(e.errorCode())) {
                return Optional.empty();
            }
            throw e;
        }
        JsonObject found = rest.post("runs/search", MlflowPayloads.newestRunTagged(experimentId,
                Tracker.RUN_KEY_TAG, runKey, null));
        if (!found.has("runs") || found.getAsJsonArray("runs").isEmpty()) {
            return Optional.empty();
        }
        JsonObject info = found.getAsJsonArray("runs").get(0).getAsJsonObject().getAsJsonObject("info");
        return Optional.of(new ExistingRun(rest, experimentId, info.get("run_id").getAsString(),
                info.get("artifact_uri").getAsString()));
    }

    /** Uploads {@code file} as the artifact {@code dir/<its name>} (replacing one logged there before). */
    public void logArtifact(Path file, String dir) {
        rest.putArtifact(MlflowRunRequests.proxyPath(artifactRoot) + "/" + (dir.isEmpty() ? "" : dir + "/")
                + file.getFileName(), file);
    }

    /** The run's page in the MLflow UI. */
    public String url() {
        return rest.trackingUri() + "/#/experiments/" + experimentId + "/runs/" + runId;
    }
}
