package dev.shortrun.steps.tracking;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.shortrun.steps.tracking.MlflowRest.MlflowRejectedException;
import dev.shortrun.steps.tracking.MlflowRest.MlflowUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Models logged to an MLflow server, found by their URI and downloaded: {@code models:/NAME/VERSION} and
 * {@code models:/NAME@ALIAS} (the Model Registry), {@code models:/MODEL_ID} (a logged model) and
 * {@code runs:/RUN_ID/NAME} (the model a run logged under that name).
 */
public final class MlflowModels {
    private static final Pattern REGISTERED = Pattern.compile("models:/([^/@]+)/(\\d+)");
    private static final Pattern ALIASED = Pattern.compile("models:/([^/@]+)@([^/]+)");
    private static final Pattern LOGGED = Pattern.compile("models:/(m-[0-9a-f]+)");
    private static final Pattern OF_RUN = Pattern.compile("runs:/([0-9a-f]+)/([^/]+)");
    private static final String FORMS = "models:/NAME/VERSION, models:/NAME@ALIAS, models:/MODEL_ID or "
            + "runs:/RUN_ID/NAME";

    private final MlflowRest rest;

    public MlflowModels(String trackingUri) {
        this.rest = new MlflowRest(trackingUri, Duration.ofSeconds(5), Duration.ofSeconds(60));
    }

    /** Whether {@code text} is meant as a model URI (and not a file). */
    public static boolean isModelUri(String text) {
        return text.startsWith("models:/") || text.startsWith("runs:/");
    }

    /**
     * A model found on the server.
     *
     * @param modelId      MLflow's id of the logged model, e.g. {@code m-0123...}
     * @param artifactRoot where its files are, e.g. {@code mlflow-artifacts:/1/models/m-0123.../artifacts}
     */
    public record Found(String modelId, String artifactRoot) {
    }

    /** Finds the model {@code uri} names. Errors name the URI and what the server lacks. */
    public Found find(String uri) {
        try {
            Matcher m;
            if ((m = REGISTERED.matcher(uri)).matches()) {
                return ofVersion(rest.get("model-versions/get", Map.of("name", m.group(1), "version", m.group(2)))
                        .getAsJsonObject("model_version"), uri);
            }
            if ((m = ALIASED.matcher(uri)).matches()) {
                return ofVersion(rest.get("registered-models/alias", Map.of("name", m.group(1), "alias", m.group(2)))
                        .getAsJsonObject("model_version"), uri);
            }
            if ((m = LOGGED.matcher(uri)).matches()) {
                return logged(m.group(1));
            }
            if ((m = OF_RUN.matcher(uri)).matches()) {
                return ofRun(m.group(1), m.group(2), uri);
            }
        } catch (MlflowRejectedException e) {
            throw new IllegalArgumentException("MLflow at " + rest.trackingUri() + " has no model " + uri
                    + (e.errorCode().isEmpty() ? "" : " (" + e.errorCode() + ")"), e);
        } catch (MlflowUnavailableException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        throw new IllegalArgumentException("not a model URI: '" + uri + "'; expected " + FORMS);
    }

    /**
     * Downloads the model's files into {@code dir} ({@code MLmodel} last, so a folder holding it is complete and is
     * used as it is).
     */
    public void download(Found model, Path dir) {
        if (Files.isRegularFile(dir.resolve(LoggedModel.MLMODEL))) {
            return;
        }
        try {
            copyFolder(MlflowRunRequests.proxyPath(model.artifactRoot()), dir, true);
        } catch (MlflowUnavailableException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private void copyFolder(String proxyPath, Path dir, boolean top) {
        JsonObject listing = rest.listArtifacts(proxyPath);
        boolean hasMlmodel = false;
        if (listing.has("files")) {
            for (JsonElement e : listing.getAsJsonArray("files")) {
                JsonObject file = e.getAsJsonObject();
                String name = file.get("path").getAsString();
                name = name.substring(name.lastIndexOf('/') + 1);
                ArtifactDirs.normalize(name); // never outside dir
                if (file.get("is_dir").getAsBoolean()) {
                    copyFolder(proxyPath + "/" + name, dir.resolve(name), false);
                } else if (top && name.equals(LoggedModel.MLMODEL)) {
                    hasMlmodel = true;
                } else {
                    fetch(proxyPath + "/" + name, dir.resolve(name));
                }
            }
        }
        if (top) {
            if (!hasMlmodel) {
                throw new IllegalArgumentException("the model at " + proxyPath + " on MLflow at "
                        + rest.trackingUri() + " has no " + LoggedModel.MLMODEL + " file");
            }
            fetch(proxyPath + "/" + LoggedModel.MLMODEL, dir.resolve(LoggedModel.MLMODEL));
        }
    }

    private void fetch(String proxyPath, Path target) {
        try {
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + target.getParent() + ": " + e.getMessage(), e);
        }
        rest.getArtifact(proxyPath, target);
    }

    /** A registry version made from a logged model ({@code source} {@code models:/MODEL_ID}). */
    private Found ofVersion(JsonObject version, String uri) {
        String source = version.get("source").getAsString();
        Matcher m = LOGGED.matcher(source);
        if (!m.matches()) {
            throw new IllegalArgumentException(uri + " was registered from " + source + ", not from a model "
                    + "shortrun logged (models:/MODEL_ID)");
        }
        return logged(m.group(1));
    }

    private Found logged(String modelId) {
        JsonObject info = rest.get("logged-models/" + modelId, Map.of()).getAsJsonObject("model")
                .getAsJsonObject("info");
        return new Found(modelId, info.get("artifact_uri").getAsString());
    }

    private Found ofRun(String runId, String name, String uri) {
        String experimentId = rest.get("runs/get", Map.of("run_id", runId)).getAsJsonObject("run")
                .getAsJsonObject("info").get("experiment_id").getAsString();
        JsonObject info = MlflowPayloads.firstReadyModel(rest.post("logged-models/search",
                MlflowPayloads.runModelsNamed(experimentId, runId, name)));
        if (info != null) {
            return new Found(info.get("model_id").getAsString(), info.get("artifact_uri").getAsString());
        }
        throw new IllegalArgumentException("run " + runId + " on MLflow at " + rest.trackingUri()
                + " logged no model named " + name + " (" + uri + ")");
    }
}
