package dev.shortrun.steps.record;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.shortrun.model.data.DataConfig;
import dev.shortrun.model.run.Checkpoint;
import dev.shortrun.steps.tracking.DatasetInput;

import java.nio.file.Path;

/**
 * The data set a run learned from as an MLflow dataset input: its name ({@code mnist-train}, {@code gmm}), a digest
 * of its content (the data fingerprint every checkpoint stores: the decoded images' MD5, or {@code toy:<name>} for the
 * generated 2D toys), where it is read from, the shape of one example as a tensor schema, and the full fingerprint.
 */
public final class TrainingData {
    private TrainingData() {
    }

    /** The data set of the run that wrote {@code checkpointJson}, as its checkpoint fingerprints it. */
    public static DatasetInput of(Path checkpointJson) {
        Checkpoint c = Checkpoint.read(checkpointJson);
        return of(c.config().data(), c.config().net().channels(), c.dataFingerprint());
    }

    static DatasetInput of(DataConfig data, int channels, String fingerprint) {
        JsonObject profile = new JsonObject();
        profile.addProperty("fingerprint", fingerprint);
        JsonArray shape = new JsonArray();
        shape.add(-1);
        shape.add(channels);
        if (data.isToy()) {
            JsonObject tags = new JsonObject();
            tags.addProperty("generator", "shortrun 2D toy " + data.dataset());
            JsonObject source = new JsonObject();
            source.add("tags", tags);
            return new DatasetInput(data.dataset(), digest(fingerprint), "code", source.toString(),
                    schema(shape), profile.toString(), "training");
        }
        shape.add(data.imageSize());
        shape.add(data.imageSize());
        String[] parts = fingerprint.split(":");
        if (parts.length == 3 && parts[1].matches("\\d+")) {
            profile.addProperty("examples", Long.parseLong(parts[1]));
        }
        profile.addProperty("image_size", data.imageSize());
        if (data.cap() > 0) {
            profile.addProperty("cap", data.cap());
        }
        JsonObject source = new JsonObject();
        source.addProperty("uri", data.dir() == null ? ""
                : Path.of(data.dir()).toAbsolutePath().normalize().toString());
        return new DatasetInput(data.dataset() + "-" + data.split(), digest(fingerprint), "local", source.toString(),
                schema(shape), profile.toString(), "training");
    }

    /** The fingerprint when it fits MLflow's digest, else its content hash (its last part). */
    static String digest(String fingerprint) {
        if (fingerprint.length() <= DatasetInput.MAX_DIGEST_LENGTH) {
            return fingerprint;
        }
        String last = fingerprint.substring(fingerprint.lastIndexOf(':') + 1);
        return last.substring(0, Math.min(last.length(), DatasetInput.MAX_DIGEST_LENGTH));
    }

    /** MLflow's tensor dataset schema: one float32 tensor per example, {@code shape} with -1 for the batch. */
    private static String schema(JsonArray shape) {
        JsonObject spec = new JsonObject();
        spec.addProperty("dtype", "float32");
        spec.add("shape", shape);
        JsonObject feature = new JsonObject();
        feature.addProperty("type", "tensor");
        feature.add("tensor-spec", spec);
        JsonArray features = new JsonArray();
        features.add(feature);
        JsonObject tensorSpec = new JsonObject();
        tensorSpec.addProperty("features", features.toString());
        tensorSpec.add("targets", null);
        JsonObject schema = new JsonObject();
        schema.add("mlflow_tensorspec", tensorSpec);
        return schema.toString();
    }
}
