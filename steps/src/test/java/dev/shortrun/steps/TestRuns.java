package dev.shortrun.steps;

import dev.shortrun.model.data.DataConfig;
import dev.shortrun.model.learning.LearnerConfig;
import dev.shortrun.model.learning.OptimizerConfig;
import dev.shortrun.model.learning.Schedule;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.nets.Activation;
import dev.shortrun.model.nets.Architecture;
import dev.shortrun.model.nets.NetConfig;
import dev.shortrun.model.sampling.Initializer;
import dev.shortrun.model.sampling.LangevinConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Resolved runs for the steps' tests, built directly (the spec resolver lives a module up). */
final class TestRuns {
    private TestRuns() {
    }

    /** An image run on {@code data}: n_f 8, K 5, two iterations. */
    static RunSpec image(String name, DataConfig data) {
        TrainConfig train = new TrainConfig(data, NetConfig.shortRun(32, 1, 8), LangevinConfig.shortRun(5),
                LearnerConfig.shortRun(), 1, 2, 1, 1);
        return run(name, train, List.of(), "/runs/p/" + name, Map.of());
    }

    /** A tiny gmm run (ToyNet n_f 8, K 10, batch 32) of {@code iterations}, checkpointed every {@code every}. */
    static TrainConfig toy(long iterations, int every) {
        LearnerConfig learner = new LearnerConfig(32, Schedule.constant(0),
                Schedule.constant(1e-3), OptimizerConfig.adam(),
                Initializer.gaussian(2), LearnerConfig.DEFAULT_DIVERGENCE_BOUND);
        NetConfig net = new NetConfig(Architecture.TOY, 2, 8,
                Activation.LEAKY_RELU, 0.05);
        return new TrainConfig(new DataConfig("gmm", null, "train", 1, 0), net,
                new LangevinConfig(1, 0.01, 10, 10), learner, 123, iterations, every, every);
    }

    /** A run of {@code train} with {@code steps} (sample settings: 16 samples, a two-value strip). */
    static RunSpec run(String name, TrainConfig train, List<String> steps, String outputDir,
                       Map<String, Object> otherStepSettings) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(SampleStep.NAME, new SampleStep.Settings(16, null, List.of(0, 5), 1));
        settings.putAll(otherStepSettings);
        return new RunSpec("p", name, "0123456789ab", train, steps, new StepSettings(settings),
                new RunSpec.Tracking(null, "p", "manual"), new RunSpec.Runner("direct", null),
                new RunSpec.Resources(1, 1, "cpu"), outputDir, new TreeMap<>(Map.of("learner.seed", "123")),
                Map.of());
    }
}
