package dev.shortrun.steps;

import ai.djl.ndarray.NDManager;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.model.run.RunDirectory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The work of a step that uses the trained chain as a generator ({@code interpolate}, {@code reconstruct},
 * {@code superres}): it runs once, on the run's final checkpoint (these experiments cost many chains), writes
 * pictures under {@code RUN/generator/}, and logs its numbers and pictures to the run.
 *
 * @param <S> the step's settings
 */
abstract class GeneratorStepFn<S> extends CheckpointStepFn<S> {
    /** Metrics and the pictures that show them. */
    record Outcome(Map<String, Double> metrics, List<Path> pictures) {
    }

    GeneratorStepFn(String name, Class<S> settingsType) {
        super(name, settingsType, RunDirectory.GENERATOR);
    }

    /** The experiment on the final checkpoint, writing into {@code dir} with file names starting {@code base}. */
    abstract Outcome run(CheckpointSampler sampler, S settings, Path dir, String base);

    @Override
    protected boolean appliesTo(CheckpointRef ref, S settings) {
        return ref.last();
    }

    @Override
    protected StepOutcome compute(CheckpointRef ref, RunSpec spec, S settings) {
        Path dir = new RunDirectory(Path.of(spec.outputDir())).generatorDir();
        try (NDManager manager = NDManager.newBaseManager();
             CheckpointSampler sampler = new CheckpointSampler(Path.of(ref.checkpointJson()), manager)) {
            Outcome outcome = run(sampler, settings, dir, RunDirectory.iterName(ref.iteration()));
            return StepOutcome.of(outcome.metrics(), outcome.pictures().stream().map(Path::toString).toList());
        }
    }
}
