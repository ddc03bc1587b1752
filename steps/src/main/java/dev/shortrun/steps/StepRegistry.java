package dev.shortrun.steps;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The steps that run on a run's checkpoints, by the names pipeline specs use. A new step registers here, once; the
 * graph builder, the spec resolver and the commands only ever look steps up.
 */
public final class StepRegistry {
    private static final Map<String, StepDefinition<?>> STEPS = new LinkedHashMap<>();

    static {
        register(SampleStep.STEP);
        register(DensityStep.STEP);
        register(DiagnoseStep.STEP);
        register(ScoreStep.STEP);
        register(InterpolateStep.STEP);
        register(ReconstructStep.STEP);
        register(SuperresStep.STEP);
        register(LandscapeStep.STEP);
    }

    private StepRegistry() {
    }

    private static void register(StepDefinition<?> step) {
        if (STEPS.putIfAbsent(step.name(), step) != null) {
            throw new IllegalStateException("step " + step.name() + " registered twice");
        }
    }

    /** Step names, sorted. */
    public static List<String> names() {
        return STEPS.keySet().stream().sorted().toList();
    }

    /** Every step, in registration order. */
    public static List<StepDefinition<?>> all() {
        return List.copyOf(STEPS.values());
    }

    /** The step called {@code name}. */
    public static StepDefinition<?> get(String name) {
        StepDefinition<?> step = STEPS.get(name);
        if (step == null) {
            throw new IllegalArgumentException("unknown step '" + name + "' (known: " + String.join(", ", names())
                    + ")");
        }
        return step;
    }
}
