package dev.shortrun.model.run;

import dev.shortrun.model.TestSupport;
import dev.shortrun.model.data.DataConfig;
import dev.shortrun.model.io.Safetensors;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.learning.IterationStats;
import dev.shortrun.model.learning.LearnerConfig;
import dev.shortrun.model.learning.OptimizerConfig;
import dev.shortrun.model.learning.Schedule;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.nets.Activation;
import dev.shortrun.model.nets.Architecture;
import dev.shortrun.model.nets.NetConfig;
import dev.shortrun.model.sampling.Initializer;
import dev.shortrun.model.sampling.LangevinConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tiny training configurations and run-directory readers shared by the learning tests. */
final class Runs {
    private Runs() {
    }

    /** Listener that does nothing. */
    static final Trainer.Listener QUIET = new Trainer.Listener() {
    };

    /** /work/shared/data/{sub}, located through the {@code shortrun.shared} property surefire sets. */
    static Path shared(String sub) {
        return TestSupport.sharedData(sub);
    }

    /** Real MNIST, first {@code cap} examples, 32x32, n_f 4, fixed K, batch 8, Adam. */
    static TrainConfig mnist(int cap, int nf, int k, long iterations, int checkpointEvery, double lr) {
        DataConfig data = new DataConfig("mnist", shared("mnist").toString(), "train", 32, cap);
        NetConfig net = NetConfig.shortRun(32, 1, nf);
        LearnerConfig learner = new LearnerConfig(8, Schedule.constant(0.03), Schedule.constant(lr),
                OptimizerConfig.adam(), Initializer.uniform(), 1e6);
        return new TrainConfig(data, net, LangevinConfig.shortRun(k), learner, 1, iterations, checkpointEvery,
                checkpointEvery);
    }

    /** The 2D gmm toy with a small ToyNet; K drawn from [kMin, kMax]. */
    static TrainConfig gmm(int kMin, int kMax, long iterations, int checkpointEvery, OptimizerConfig opt, double lr,
                           double bound) {
        DataConfig data = new DataConfig("gmm", null, "train", 1, 0);
        NetConfig net = new NetConfig(Architecture.TOY, 2, 8, Activation.LEAKY_RELU, 0.05);
        LangevinConfig langevin = new LangevinConfig(0.01, 0.01, kMin, kMax);
        LearnerConfig learner = new LearnerConfig(16, Schedule.constant(0.0), Schedule.constant(lr), opt,
                Initializer.gaussian(2.0), bound);
        return new TrainConfig(data, net, langevin, learner, 123, iterations, checkpointEvery, checkpointEvery);
    }

    /**
     * The Anatomy convergent toy recipe, shrunk: persistent bank of {@code bankSize}, eps 0.125, K steps, SGD with
     * gamma0 0.1 (lr (eps^2/2) gamma0, loss times 2/eps^2).
     */
    static TrainConfig gmmPersistent(int bankSize, int k, long iterations, int checkpointEvery) {
        double eps = 0.125;
        DataConfig data = new DataConfig("gmm", null, "train", 1, 0);
        NetConfig net = new NetConfig(Architecture.TOY, 2, 8, Activation.LEAKY_RELU, 0.05);
        LearnerConfig learner = new LearnerConfig(16, Schedule.constant(0.0),
                Schedule.constant(LearnerConfig.sgdLearningRate(0.1, eps)), OptimizerConfig.sgd(),
                Initializer.persistent(bankSize), 1e6, eps);
        return new TrainConfig(data, net, LangevinConfig.anatomy(eps, 1, k, k), learner, 123, iterations,
                checkpointEvery, checkpointEvery);
    }

    /** Real MNIST, first {@code cap} examples, persistent chains (one per example), n_f 4, batch 8. */
    static TrainConfig mnistPersistent(int cap, int k, long iterations, int checkpointEvery) {
        TrainConfig base = mnist(cap, 4, k, iterations, checkpointEvery, 1e-3);
        LearnerConfig l = base.learner();
        LearnerConfig learner = new LearnerConfig(l.batch(), l.sigma(), l.lr(), l.optimizer(),
                Initializer.persistent(0), l.divergenceBound(), 7.5e-3);
        return new TrainConfig(base.data(), base.net(), LangevinConfig.anatomy(7.5e-3, 1, k, k), learner,
                base.seed(), iterations, checkpointEvery, checkpointEvery);
    }

    static Path checkpoint(Path runDir, long iteration) {
        return new RunDirectory(runDir).checkpointJson(iteration);
    }

    static LinkedHashMap<String, Tensor> tensors(Path file) throws IOException {
        return Safetensors.read(file).tensors();
    }

    /** metrics.csv data rows split into cells (header checked and dropped). */
    static List<String[]> metricsRows(Path runDir) throws IOException {
        List<String> lines = Files.readAllLines(runDir.resolve("metrics.csv"), StandardCharsets.UTF_8);
        assertEquals(IterationStats.csvHeader(), lines.get(0), "metrics.csv header");
        List<String[]> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            rows.add(line.split(",", -1));
        }
        return rows;
    }
}
