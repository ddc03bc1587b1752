package dev.shortrun.steps.record;

import dev.shortrun.steps.RunSpec;

import java.util.Map;
import java.util.TreeMap;

/**
 * The params a training run logs: every resolved setting, plus {@value #PIPELINE}, the pipeline spec it follows (a
 * sweep over several base pipelines varies it, and MLflow's compare views plot params, not tags). The pipeline's
 * {@code description} is text for people, not a setting to compare: it is in the run's description instead, where a
 * sweep point can say what it changed (as a param it showed the base pipeline's text on every point).
 */
public final class TrackedParams {
    public static final String PIPELINE = "pipeline";
    static final String DESCRIPTION = "description";

    private TrackedParams() {
    }

    public static Map<String, String> of(RunSpec spec) {
        Map<String, String> params = new TreeMap<>(spec.params());
        params.remove(DESCRIPTION);
        params.put(PIPELINE, spec.origin().basePipeline());
        return params;
    }
}
