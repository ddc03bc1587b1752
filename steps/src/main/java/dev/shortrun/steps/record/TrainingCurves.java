package dev.shortrun.steps.record;

import dev.shortrun.model.learning.IterationStats;
import dev.shortrun.model.learning.Schedule;
import dev.shortrun.model.learning.TrainConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The numbers a training iteration logs as metric curves: only those that can change from one iteration to the next.
 * K, lr and sigma are curves only when the run varies them (K drawn per iteration, a decaying schedule); otherwise
 * they are constants, already params ({@code sampler.K}, {@code learner.lr}, {@code learner.sigma}), and as curves
 * they only drew flat lines.
 */
public final class TrainingCurves {
    private final boolean kVaries;
    private final boolean lrVaries;
    private final boolean sigmaVaries;

    private TrainingCurves(boolean kVaries, boolean lrVaries, boolean sigmaVaries) {
        this.kVaries = kVaries;
        this.lrVaries = lrVaries;
        this.sigmaVaries = sigmaVaries;
    }

    public static TrainingCurves of(TrainConfig config) {
        return new TrainingCurves(!config.langevin().fixedK(), varies(config.learner().lr(), config.iterations()),
                varies(config.learner().sigma(), config.iterations()));
    }

    /** Whether the schedule's value changes within {@code iterations}. */
    static boolean varies(Schedule s, long iterations) {
        return s.factor() < 1.0 && s.floor() < s.initial() && s.decayAfter() + 1 < iterations;
    }

    /** The iteration's points: every curve the run has. */
    public Map<String, Double> of(IterationStats s) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("f_pos", s.fPositive());
        m.put("f_neg", s.fNegative());
        m.put("f_diff", s.difference());
        m.put("grad_norm", s.gradNorm());
        if (kVaries) {
            m.put("K", (double) s.steps());
        }
        if (lrVaries) {
            m.put("lr", s.lr());
        }
        if (sigmaVaries) {
            m.put("sigma", s.sigma());
        }
        m.put("seconds_per_iteration", s.seconds());
        m.put("d_s_t", s.dst());
        m.put("r_t", s.rt());
        m.put("v_t", s.vt());
        return m;
    }
}
