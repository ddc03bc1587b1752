package dev.shortrun.steps.record;

import dev.shortrun.model.learning.IterationMetrics;
import dev.shortrun.model.learning.IterationStats;
import dev.shortrun.model.learning.Schedule;
import dev.shortrun.model.learning.TrainConfig;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The numbers a training iteration logs as metric curves: {@link IterationMetrics#tracked} less those that cannot
 * change from one iteration to the next. K, lr and sigma are curves only when the run varies them (K drawn per
 * iteration, a decaying schedule); otherwise they are constants, already params ({@code sampler.K},
 * {@code learner.lr}, {@code learner.sigma}), and as curves they only drew flat lines.
 */
public final class TrainingCurves {
    private final Set<String> constants;

    private TrainingCurves(Set<String> constants) {
        this.constants = Set.copyOf(constants);
    }

    public static TrainingCurves of(TrainConfig config) {
        Set<String> constants = new HashSet<>();
        if (config.langevin().fixedK()) {
            constants.add(IterationMetrics.K.name());
        }
        if (!varies(config.learner().lr(), config.iterations())) {
            constants.add(IterationMetrics.LR.name());
        }
        if (!varies(config.learner().sigma(), config.iterations())) {
            constants.add(IterationMetrics.SIGMA.name());
        }
        return new TrainingCurves(constants);
    }

    /** Whether the schedule's value changes within {@code iterations}. */
    static boolean varies(Schedule s, long iterations) {
        return s.factor() < 1.0 && s.floor() < s.initial() && s.decayAfter() + 1 < iterations;
    }

    /** The iteration's points: every curve the run has. */
    public Map<String, Double> of(IterationStats s) {
        Map<String, Double> m = IterationMetrics.tracked(s);
        m.keySet().removeAll(constants);
        return m;
    }
}
