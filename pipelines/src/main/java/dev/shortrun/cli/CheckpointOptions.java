package dev.shortrun.cli;

import dev.shortrun.config.SpecLoader;
import dev.shortrun.model.run.Checkpoint;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.steps.StepDefinition;
import dev.shortrun.steps.settings.TrackingSettings;
import dev.shortrun.steps.tracking.MlflowModels;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;

/**
 * The CHECKPOINT argument, {@code --threads} and {@code --mlflow-uri} of every command that reads a trained model (a
 * picocli mixin), and where such commands put their pictures by default.
 */
final class CheckpointOptions implements SettingFlags.Holder {
    /** Where models named by an MLflow URI are kept: $SHORTRUN_MODELS_DIR or ~/.cache/shortrun/models. */
    static Path modelsDir() {
        String dir = System.getenv("SHORTRUN_MODELS_DIR");
        return dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".cache", "shortrun", "models");
    }

    @Parameters(index = "0", paramLabel = "CHECKPOINT",
            description = {"A checkpoint's .json file, a run directory (its newest checkpoint is used), or a model "
                    + "logged to MLflow: models:/NAME/VERSION, models:/NAME@ALIAS, models:/MODEL_ID or "
                    + "runs:/RUN_ID/model (downloaded from --mlflow-uri once, to ~/.cache/shortrun/models/MODEL_ID or "
                    + "$SHORTRUN_MODELS_DIR)."})
    String checkpoint;

    @Option(names = "--threads", defaultValue = "2",
            description = "PyTorch intra-op threads (default ${DEFAULT-VALUE}).")
    int threads;

    private final SettingFlags flags = new SettingFlags(List.of(TrackingSettings.MLFLOW_URI));
    private Path json;

    @Override
    public SettingFlags settingFlags() {
        return flags;
    }

    /** The checkpoint JSON: the file itself, the run directory's newest checkpoint, or the downloaded model's. */
    Path json() {
        if (json == null) {
            json = RunDirectory.checkpointOf(MlflowModels.isModelUri(checkpoint) ? download(checkpoint)
                    : Path.of(checkpoint));
        }
        return json;
    }

    /** Downloads the model {@code uri} names (once: a model's files never change) and returns its folder. */
    private Path download(String uri) {
        String mlflowUri = new SpecLoader().loadSetting(TrackingSettings.MLFLOW_URI, null, flags.values());
        if (mlflowUri == null) {
            throw new IllegalArgumentException(uri + " names a model in MLflow: give the server with --mlflow-uri "
                    + "or MLFLOW_TRACKING_URI");
        }
        MlflowModels models = new MlflowModels(mlflowUri);
        MlflowModels.Found found = models.find(uri);
        Path dir = modelsDir().resolve(found.modelId());
        models.download(found, dir);
        System.out.println("model:   " + uri + " (" + found.modelId() + ") in " + dir);
        return dir;
    }

    /** {@code RUN/<folder>/<name>} for the run that holds checkpoint {@code json} (RUN/checkpoints/iter-N.json). */
    static Path runFile(Path json, String folder, String name) {
        return RunDirectory.ofCheckpoint(json).root().resolve(folder).resolve(name);
    }

    /** "iter-000123" of a checkpoint, for default file names. */
    static String base(Path json) {
        return RunDirectory.iterName(Checkpoint.read(json).iteration());
    }
}
