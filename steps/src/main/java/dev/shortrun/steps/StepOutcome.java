package dev.shortrun.steps;

import java.util.List;
import java.util.Map;

/**
 * What a checkpoint step computed: its numbers (metrics at the checkpoint's iteration), run tags, the pictures that
 * show them (listed in the results) and other files it logs as artifacts (reports). Paths are absolute file names.
 */
public record StepOutcome(Map<String, Double> metrics, Map<String, String> tags, List<String> pictures,
                          List<String> otherArtifacts) {
    public StepOutcome {
        metrics = Map.copyOf(metrics);
        tags = Map.copyOf(tags);
        pictures = List.copyOf(pictures);
        otherArtifacts = List.copyOf(otherArtifacts);
    }

    /** Metrics and pictures only. */
    public static StepOutcome of(Map<String, Double> metrics, List<String> pictures) {
        return new StepOutcome(metrics, Map.of(), pictures, List.of());
    }
}
