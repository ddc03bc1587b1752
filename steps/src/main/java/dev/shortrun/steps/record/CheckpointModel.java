package dev.shortrun.steps.record;

import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.nets.NetConfig;
import dev.shortrun.model.run.Checkpoint;
import dev.shortrun.steps.CodeVersion;
import dev.shortrun.steps.RunSpec;
import dev.shortrun.steps.tracking.LoggedModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A run's final checkpoint as an MLflow model: an {@code MLmodel} file with a {@code shortrun} flavor (what the
 * network is and where its files are) and an input signature (a batch of images N x C x H x W, or of 2D points
 * N x 2, float32 in [-1, 1]; the output f(x), one number per example), beside the checkpoint's JSON and its
 * safetensors weights under the PyTorch reference names, and the run's resolved spec. The layout is a run folder's
 * ({@code checkpoints/iter-N.json}), so {@code ./shortrun sample} reads a downloaded model as it reads a run;
 * {@code infra/reference/load_model.py} loads it into the reference PyTorch networks. Not included: the optimiser
 * state and a persistent chain bank (resuming training needs the run folder).
 */
public final class CheckpointModel {
    /** The model's name within its run (MLflow 3: the logged model's name; {@code runs:/RUN_ID/model}). */
    public static final String NAME = "model";
    public static final String FLAVOR = "shortrun";
    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private CheckpointModel() {
    }

    /**
     * Writes {@code RUN/model/MLmodel} for the run's checkpoint {@code json} and returns the model's files.
     *
     * @param created when the model is made (the MLmodel's {@code utc_time_created})
     */
    public static LoggedModel of(RunSpec spec, Path json, Instant created) throws IOException {
        Checkpoint c = Checkpoint.read(json);
        SortedMap<String, Path> files = new TreeMap<>();
        String checkpoint = "checkpoints/" + json.getFileName();
        String weights = "checkpoints/" + c.weights();
        files.put(checkpoint, json);
        files.put(weights, json.resolveSibling(c.weights()));
        Path specFile = Path.of(spec.outputDir()).resolve("spec.json");
        if (Files.isRegularFile(specFile)) {
            files.put("spec.json", specFile);
        }
        Path dir = Files.createDirectories(Path.of(spec.outputDir()).resolve(NAME));
        Path mlmodel = dir.resolve(LoggedModel.MLMODEL);
        AtomicFiles.writeString(mlmodel, mlmodel(c, checkpoint, weights, Files.size(files.get(weights)), created));
        files.put(LoggedModel.MLMODEL, mlmodel);
        return new LoggedModel(NAME, files, spec.tracking().registerModel());
    }

    /** The MLmodel file (YAML). */
    static String mlmodel(Checkpoint c, String checkpoint, String weights, long weightBytes, Instant created) {
        NetConfig net = c.config().net();
        String example = c.config().data().isToy() ? "[-1, 2]"
                : "[-1, " + net.channels() + ", " + net.imageSize() + ", " + net.imageSize() + "]";
        return String.join("\n",
                "artifact_path: " + NAME,
                "flavors:",
                "  " + FLAVOR + ":",
                "    format: " + c.format(),
                "    checkpoint: " + checkpoint,
                "    weights: " + weights,
                "    spec: spec.json",
                "    iteration: " + c.iteration(),
                "    data: " + c.config().data().dataset(),
                "    architecture: " + net.architecture().name().toLowerCase(Locale.ROOT),
                "    channels: " + net.channels(),
                "    n_f: " + net.nf(),
                "    activation: " + net.activation().name().toLowerCase(Locale.ROOT),
                "    slope: " + net.slope(),
                "    energy: f(x) is the negative energy, the network's output (minus it for nonlocal32)",
                "    sample: ./shortrun sample MODEL_URI",
                "    python: infra/reference/load_model.py",
                "    shortrun_version: " + CodeVersion.current(),
                "model_size_bytes: " + weightBytes,
                "signature:",
                "  inputs: '[{\"type\": \"tensor\", \"tensor-spec\": {\"dtype\": \"float32\", \"shape\": " + example
                        + "}}]'",
                "  outputs: '[{\"type\": \"tensor\", \"tensor-spec\": {\"dtype\": \"float32\", \"shape\": [-1]}}]'",
                "  params: null",
                "utc_time_created: '" + UTC.format(created) + "'",
                "");
    }
}
