package dev.shortrun.steps.tracking;

import java.util.HashMap;
import java.util.Map;

/**
 * The last step each metric reached in a run's earlier attempts. A run resumed from its newest checkpoint recomputes
 * the steps between that checkpoint and where the earlier attempt stopped; those points are already in the record,
 * so they are not written a second time (a metric curve with two points per step zigzags in MLflow's charts).
 */
final class RecordedSteps {
    private final Map<String, Long> lastStep = new HashMap<>();

    /** Notes that {@code key} was recorded at {@code step}. */
    void add(String key, long step) {
        lastStep.merge(key, step, Math::max);
    }

    /** Whether an earlier attempt already recorded {@code key} at {@code step} or later. */
    boolean covers(String key, long step) {
        Long last = lastStep.get(key);
        return last != null && step <= last;
    }
}
