package dev.shortrun.cli;

import dev.shortrun.model.learning.Checkpoint;

import java.nio.file.Path;

/** Default output paths of the commands that read a trained model (the checkpoint itself: Trainer.checkpointOf). */
final class CheckpointArg {
    private CheckpointArg() {
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
