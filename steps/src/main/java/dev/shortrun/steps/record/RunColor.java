package dev.shortrun.steps.record;

import dev.shortrun.steps.RunOrigin;

import java.util.List;
import java.util.Optional;

/**
 * The colour MLflow's UI draws a sweep point in (its tag {@value #TAG}, which the UI also sets when a user picks a
 * colour): point i of a sweep gets the i-th colour of the Tableau 10 palette, so the points of a sweep of up to ten
 * differ in every chart and legend (the UI's own choice hashes the run id, and two points often got the same colour).
 * Runs that are not sweep points keep the UI's choice.
 */
public final class RunColor {
    public static final String TAG = "mlflow.runColor";
    static final List<String> PALETTE = List.of("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22", "#17becf");

    private RunColor() {
    }

    /** The colour of a sweep's point, or empty for a run that is not one. */
    public static Optional<String> of(RunOrigin origin) {
        return origin.sweep() == null ? Optional.empty()
                : Optional.of(PALETTE.get((origin.sweep().index() - 1) % PALETTE.size()));
    }
}
