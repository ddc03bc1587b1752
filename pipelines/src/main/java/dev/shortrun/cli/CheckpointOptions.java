package dev.shortrun.cli;

import dev.shortrun.config.SpecLoader;
import dev.shortrun.model.run.Checkpoint;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.run.Trainer;
import dev.shortrun.steps.StepDefinition;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/**
 * The CHECKPOINT argument and {@code --threads} of every command that reads a trained model (a picocli mixin), and
 * where such commands put their pictures by default.
 */
final class CheckpointOptions {
    @Parameters(index = "0", paramLabel = "CHECKPOINT",
            description = "A checkpoint's .json file, or a run directory (its newest checkpoint is used).")
    Path checkpoint;

    @Option(names = "--threads", defaultValue = "2",
            description = "PyTorch intra-op threads (default ${DEFAULT-VALUE}).")
    int threads;

    /** The checkpoint JSON: the file itself, or the run directory's newest checkpoint. */
    Path json() {
        return RunDirectory.checkpointOf(checkpoint);
    }

    /**
     * A step's settings from the command's flags, with the defaults a pipeline gives them for this checkpoint's run
     * (its seed, its training K, its data).
     */
    <S> S stepSettings(StepDefinition<S> step, SettingFlags flags) {
        return new SpecLoader().loadStep(step, Checkpoint.read(json()).config(), flags.values());
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
