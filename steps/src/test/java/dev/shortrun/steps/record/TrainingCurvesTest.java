package dev.shortrun.steps.record;

import dev.shortrun.model.data.DataConfig;
import dev.shortrun.model.learning.IterationStats;
import dev.shortrun.model.learning.LearnerConfig;
import dev.shortrun.model.learning.OptimizerConfig;
import dev.shortrun.model.learning.Schedule;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.nets.NetConfig;
import dev.shortrun.model.sampling.Initializer;
import dev.shortrun.model.sampling.LangevinConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingCurvesTest {
    private static final Set<String> ALWAYS = Set.of("f_pos", "f_neg", "f_diff", "grad_norm",
            "seconds_per_iteration", "d_s_t", "r_t", "v_t");
    private static final IterationStats STATS = new IterationStats(7, 0.5, 0.25, 0.125, 20, 1e-4, 0.03, 1.5,
            2, 3, 4);

    @Test
    void constantKLrAndSigmaAreNotCurves() {
        TrainConfig run = config(new LangevinConfig(1, 0.01, 20, 20), Schedule.constant(0.03), Schedule.constant(1e-4),
                100);
        assertEquals(ALWAYS, TrainingCurves.of(run).of(STATS).keySet());
    }

    @Test
    void whatTheRunVariesIsACurve() {
        TrainConfig drawnK = config(new LangevinConfig(1, 0.01, 5, 20), Schedule.constant(0.03),
                Schedule.constant(1e-4), 100);
        assertEquals(20.0, TrainingCurves.of(drawnK).of(STATS).get("K"));
        TrainConfig annealed = config(new LangevinConfig(1, 0.01, 20, 20), new Schedule(0.03, 50, 0.99, 0.01),
                new Schedule(1e-4, 0, 0.999, 1e-5), 100);
        var points = TrainingCurves.of(annealed).of(STATS);
        assertEquals(1e-4, points.get("lr"));
        assertEquals(0.03, points.get("sigma"));
        assertFalse(points.containsKey("K"));
    }

    @Test
    void aDecayThatStartsAfterTheLastIterationIsConstant() {
        assertFalse(TrainingCurves.varies(new Schedule(1e-4, 99, 0.5, 0), 100)); // iterations 0..99: 1e-4 throughout
        assertTrue(TrainingCurves.varies(new Schedule(1e-4, 98, 0.5, 0), 100));  // iteration 99: 5e-5
        assertFalse(TrainingCurves.varies(new Schedule(1e-4, 0, 0.5, 1e-4), 100)); // floored at its start
        for (long t : List.of(0L, 98L, 99L)) {
            assertEquals(1e-4, new Schedule(1e-4, 99, 0.5, 0).at(t));
        }
    }

    private static TrainConfig config(LangevinConfig langevin, Schedule sigma, Schedule lr, long iterations) {
        LearnerConfig learner = new LearnerConfig(32, sigma, lr, OptimizerConfig.adam(), Initializer.gaussian(2),
                LearnerConfig.DEFAULT_DIVERGENCE_BOUND);
        return new TrainConfig(new DataConfig("gmm", null, "train", 1, 0), NetConfig.toy(), langevin, learner, 1,
                iterations, 10, 10);
    }
}
