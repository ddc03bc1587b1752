package dev.shortrun.steps;

import ai.djl.ndarray.NDManager;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.model.run.RunDirectory;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A step that uses the trained chain as a generator ({@code interpolate}, {@code reconstruct}, {@code superres}):
 * it runs once, on the run's final checkpoint (these experiments cost many chains), writes pictures under
 * {@code RUN/generator/}, and logs its numbers and pictures to the run.
 */
public final class GeneratorStep extends PTransform<PCollection<String>, PCollection<String>> {
    /** What the step computes on the final checkpoint. */
    @FunctionalInterface
    public interface Task extends Serializable {
        Outcome run(CheckpointSampler sampler, RunSpec spec, Path dir, String base);
    }

    /** Metrics and the pictures that show them. */
    public record Outcome(Map<String, Double> metrics, List<Path> pictures) {
    }

    private final String name;
    private final Task task;

    public GeneratorStep(String name, Task task) {
        this.name = name;
        this.task = task;
    }

    @Override
    public PCollection<String> expand(PCollection<String> checkpoints) {
        return checkpoints.apply(name, ParDo.of(new GeneratorFn(name, task)));
    }

    static final class GeneratorFn extends CheckpointStepFn {
        private final Task task;

        GeneratorFn(String name, Task task) {
            super(name, RunDirectory.GENERATOR);
            this.task = task;
        }

        @Override
        boolean appliesTo(CheckpointRef ref, RunSpec spec) {
            return ref.last();
        }

        @Override
        StepOutcome compute(CheckpointRef ref, RunSpec spec) {
            Path dir = new RunDirectory(Path.of(spec.outputDir())).generatorDir();
            try (NDManager manager = NDManager.newBaseManager();
                 CheckpointSampler sampler = new CheckpointSampler(Path.of(ref.checkpointJson()), manager)) {
                Outcome outcome = task.run(sampler, spec, dir, RunDirectory.iterName(ref.iteration()));
                return StepOutcome.of(outcome.metrics(), outcome.pictures().stream().map(Path::toString).toList());
            }
        }
    }
}
