package dev.shortrun.cli;

import dev.shortrun.model.learning.Checkpoint;
import dev.shortrun.model.learning.Trainer;

import java.nio.file.Files;
import java.nio.file.Path;

/** The CHECKPOINT argument of the commands that read a trained model: a checkpoint's .json or a run directory. */
final class CheckpointArg {
    private CheckpointArg() {
    }

    /** The checkpoint JSON named by {@code arg}: the file itself, or a run directory's newest checkpoint. */
    static Path resolve(Path arg) {
        Path json = Files.isDirectory(arg)
                ? Trainer.latestCheckpoint(arg).orElseThrow(() -> new IllegalArgumentException(
                        "no checkpoint in " + arg.resolve("checkpoints")))
                : arg;
        if (!Files.isRegularFile(json)) {
            throw new IllegalArgumentException("checkpoint not found: " + json);
        }
        return json;
    }

    /** {@code RUN/<folder>/<name>} for the run that holds checkpoint {@code json} (RUN/checkpoints/iter-N.json). */
    static Path runFile(Path json, String folder, String name) {
        return json.toAbsolutePath().getParent().getParent().resolve(folder).resolve(name);
    }

    /** "iter-000123" of a checkpoint, for default file names. */
    static String base(Path json) {
        return Checkpoint.baseName(Checkpoint.read(json).iteration());
    }
}
