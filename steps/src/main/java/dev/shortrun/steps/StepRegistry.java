package dev.shortrun.steps;

import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Steps that run on a run's checkpoints, by the names pipeline specs use. New steps (score, diagnose, ...) register
 * here; the graph builder and the spec validator only ever see names.
 */
public final class StepRegistry {
    private static final Map<String, Supplier<PTransform<PCollection<String>, PCollection<String>>>> STEPS =
            new TreeMap<>(Map.of(SampleStep.NAME, SampleStep::new, DiagnoseStep.NAME, DiagnoseStep::new,
                    DensityStep.NAME, DensityStep::new, ScoreStep.NAME, ScoreStep::new,
                    GeneratorSteps.INTERPOLATE, GeneratorSteps::interpolate,
                    GeneratorSteps.RECONSTRUCT, GeneratorSteps::reconstruct,
                    GeneratorSteps.SUPERRES, GeneratorSteps::superres));

    private StepRegistry() {
    }

    public static Set<String> names() {
        return STEPS.keySet();
    }

    /** The transform for {@code name}: CheckpointRef JSON in, StepResult JSON out. */
    public static PTransform<PCollection<String>, PCollection<String>> create(String name) {
        var step = STEPS.get(name);
        if (step == null) {
            throw new IllegalArgumentException("unknown step '" + name + "' (known: " + names() + ")");
        }
        return step.get();
    }
}
