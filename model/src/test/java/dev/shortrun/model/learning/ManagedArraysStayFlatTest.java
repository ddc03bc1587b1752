package dev.shortrun.model.learning;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.data.DatasetFormats;
import dev.shortrun.model.data.PositiveSource;
import dev.shortrun.model.data.ToySource;
import dev.shortrun.model.nets.Activation;
import dev.shortrun.model.nets.Architecture;
import dev.shortrun.model.nets.EnergyNet;
import dev.shortrun.model.nets.NetConfig;
import dev.shortrun.model.sampling.Initializer;
import dev.shortrun.model.sampling.LangevinConfig;
import dev.shortrun.model.sampling.LangevinSampler;
import dev.shortrun.model.sampling.MalaSampler;
import dev.shortrun.model.sampling.Temperature;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.model.util.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Memory stays flat over a run: no iteration or chain may leave native arrays behind in a manager that lives as
 * long as the net. (A result of an op on a run-long array, e.g. {@code m.mul(lr)} in Adam, belongs to that array's
 * manager: it leaked 2x the weights per iteration, ~5.6 MB at n_f 32, before this test.) Counts every array under
 * the net's root manager after warm-up iterations and again several iterations later.
 */
class ManagedArraysStayFlatTest {
    @BeforeAll
    static void engine() {
        Torch.configure(1);
    }

    @Test
    void convNetWithAdamAndUniformStarts() {
        assertFlat(NetConfig.shortRun(32, 3, 4), new RandomImages(), OptimizerConfig.adam(), Initializer.uniform());
    }

    @Test
    void toyNetWithAdamAndPersistentStarts() {
        assertFlat(new NetConfig(Architecture.TOY, 2, 8, Activation.LEAKY_RELU, 0.05),
                new ToySource(DatasetFormats.toy("gmm")), OptimizerConfig.adam(), Initializer.persistent(32));
    }

    @Test
    void convNetWithSgdAndLowResolutionStarts() {
        assertFlat(NetConfig.shortRun(32, 3, 4), new RandomImages(), OptimizerConfig.sgd(), Initializer.lowres(8));
    }

    @Test
    void nonlocalNetWithAdam() {
        assertFlat(new NetConfig(Architecture.NONLOCAL32, 3, 4, Activation.LEAKY_RELU, 0.05), new RandomImages(),
                OptimizerConfig.adam(), Initializer.uniform());
    }

    @Test
    void langevinAndMalaChainsLeaveOnlyTheirSamples() {
        try (NDManager root = NDManager.newBaseManager();
             EnergyNet net = EnergyNet.create(NetConfig.shortRun(32, 3, 4), root, new Rng(1))) {
            RandomTensors random = new RandomTensors(new Rng(2));
            NDArray start = random.uniform(root, new Shape(4, 3, 32, 32), -1, 1);
            int before = root.getManagedArrays().size();
            new LangevinSampler(LangevinConfig.shortRun(5)).run(net, start, 5, random, true, (k, x) -> x.sum());
            assertEquals(before + 1, root.getManagedArrays().size(), "the Langevin samples and nothing else");
            new MalaSampler(0.01, new Temperature(1e-4)).run(net, start, 5, random, null);
            assertEquals(before + 2, root.getManagedArrays().size(), "the MALA samples and nothing else");
        }
    }

    private static void assertFlat(NetConfig netConfig, PositiveSource source, OptimizerConfig optimizer,
                                   Initializer init) {
        Rng rng = new Rng(3);
        LearnerConfig config = new LearnerConfig(4, Schedule.constant(0.03), Schedule.constant(1e-4), optimizer,
                init, 1e6);
        try (NDManager root = NDManager.newBaseManager();
             EnergyNet net = EnergyNet.create(netConfig, root, rng);
             Learner learner = new Learner(net, new LangevinSampler(LangevinConfig.shortRun(3)), config, source,
                     rng)) {
            learner.step();
            learner.step();
            int warm = root.getManagedArrays().size();
            for (int i = 0; i < 4; i++) {
                learner.step();
            }
            assertEquals(warm, root.getManagedArrays().size(),
                    "arrays left behind by 4 iterations (" + netConfig.architecture() + ", " + optimizer.kind()
                            + ", " + init.kind() + ")");
        }
    }

    /** Uniform noise images: the leak check needs shapes, not data. */
    private static final class RandomImages implements PositiveSource {
        @Override
        public NDArray batch(NDManager manager, int size, Rng rng) {
            return new RandomTensors(rng).uniform(manager, new Shape(size, 3, 32, 32), -1, 1);
        }

        @Override
        public long[] exampleShape() {
            return new long[] {3, 32, 32};
        }

        @Override
        public String fingerprint() {
            return "random-images";
        }
    }
}
