package dev.shortrun.steps;

import ai.djl.ndarray.NDManager;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.torch.Devices;

import java.io.Serializable;
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
final class GeneratorStepFn<S> extends CheckpointStepFn<S> {
    /** Metrics, run tags that say what produced them, and the pictures that show them. */
    record Outcome(Map<String, Double> metrics, Map<String, String> tags, List<Path> pictures) {
        Outcome(Map<String, Double> metrics, List<Path> pictures) {
            this(metrics, Map.of(), pictures);
        }
    }

    /** The experiment on the final checkpoint, writing into {@code dir} with file names starting {@code base}. */
    @FunctionalInterface
    interface Experiment<S> extends Serializable {
        Outcome run(CheckpointSampler sampler, S settings, Path dir, String base);
    }

    private final Experiment<S> experiment;

    GeneratorStepFn(String name, Class<S> settingsType, Experiment<S> experiment) {
        super(name, settingsType, RunDirectory.GENERATOR);
        this.experiment = experiment;
    }

    /** The Langevin steps of M_theta: {@code k} if given, else the checkpoint's training K. */
    static int chainSteps(Integer k, CheckpointSampler sampler) {
        return k != null ? k : sampler.config().langevin().trainingK();
    }

    @Override
    protected boolean appliesTo(CheckpointRef ref, S settings) {
        return ref.last();
    }

    @Override
    protected StepOutcome compute(CheckpointRef ref, RunSpec spec, S settings) {
        Path dir = new RunDirectory(Path.of(spec.outputDir())).generatorDir();
        try (NDManager manager = Devices.newManager();
             CheckpointSampler sampler = new CheckpointSampler(Path.of(ref.checkpointJson()), manager)) {
            Outcome outcome = experiment.run(sampler, settings, dir, RunDirectory.iterName(ref.iteration()));
            return new StepOutcome(outcome.metrics(), outcome.tags(),
                    outcome.pictures().stream().map(Path::toString).toList(), List.of());
        }
    }
}
