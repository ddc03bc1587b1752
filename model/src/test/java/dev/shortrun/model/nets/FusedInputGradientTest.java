package dev.shortrun.model.nets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.sampling.LangevinConfig;
import dev.shortrun.model.sampling.LangevinSampler;
import dev.shortrun.model.torch.ChannelsLast;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.model.util.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chains' fused input gradient (TorchScript over oneDNN's fused convolutions) against autograd on the trained
 * net's own layout: same numbers for every plain conv architecture and both slopes, for any batch size, and for the
 * batch size changing within one chain (the weights are re-packed). The PyTorch reference itself is compared in
 * {@link ReferenceConformanceTest}, whose Langevin trajectory runs through this path.
 */
class FusedInputGradientTest {
    /** Relative to the largest gradient entry: summation order may differ between oneDNN's kernels. */
    private static final double TOLERANCE = 1e-6;

    @BeforeAll
    static void engine() {
        Torch.configure(2);
    }

    static Stream<Arguments> stacks() {
        return Stream.of(
                Arguments.of(new NetConfig(Architecture.CONV32, 3, 8, Activation.LEAKY_RELU, 0.2)),
                Arguments.of(new NetConfig(Architecture.CONV32, 1, 5, Activation.LEAKY_RELU, 0.0)),
                Arguments.of(new NetConfig(Architecture.CONV64, 1, 4, Activation.LEAKY_RELU, 0.05)),
                Arguments.of(new NetConfig(Architecture.CONV128, 3, 2, Activation.LEAKY_RELU, 0.2)));
    }

    /** One check of a batch: the trained net and its chain copy, x in the net's layout and in the chain's. */
    private interface BatchCheck {
        void check(int batch, EnergyNet net, EnergyNet chainNet, NDArray x, NDArray chainX);
    }

    /** Runs {@code check} on uniform batches of these sizes, in turn, on one net of {@code config} and its chain. */
    private static void forBatches(NetConfig config, long seed, int[] batches, BatchCheck check) {
        Rng rng = new Rng(seed);
        RandomTensors random = new RandomTensors(rng);
        try (NDManager manager = NDManager.newBaseManager();
             EnergyNet net = EnergyNet.create(config, manager, rng);
             NDManager chain = manager.newSubManager()) {
            EnergyNet chainNet = (EnergyNet) net.forChain(chain);
            for (int batch : batches) {
                NDArray x = random.uniform(manager, new Shape(batch, config.channels(), config.imageSize(),
                        config.imageSize()), -1, 1);
                NDArray chainX = ChannelsLast.copyOf(x);
                assertTrue(chainNet.fusesInputGradient(chainX), "the chain's gradient should be the fused one");
                check.check(batch, net, chainNet, x, chainX);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void equalsAutogradForAnyBatchSize(NetConfig config) {
        forBatches(config, 7, new int[] {5, 1, 5}, (batch, net, chainNet, x, chainX) -> {
            assertClose(config + ", batch " + batch, chainNet.inputGradient(chainX), net.inputGradient(x));
            assertFalse(chainX.hasGradient() && chainX.getGradient().abs().sum().getFloat() > 0,
                    "the fused path must not leave a gradient on the input");
        });
    }

    /** MALA's f and grad f of a state, from the fused forward: the same numbers as autograd's forward and backward. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("stacks")
    void valueAndGradientEqualAutogradsForwardAndBackward(NetConfig config) {
        forBatches(config, 11, new int[] {6, 2}, (batch, net, chainNet, x, chainX) -> {
            Energy.ValueAndGradient fused = chainNet.valueAndGradient(chainX);
            Energy.ValueAndGradient autograd = net.valueAndGradient(x);
            assertTrue(fused.value().getShape().equals(new Shape(batch)), fused.value().getShape().toString());
            // the chain's own forward (channels-last, as MALA's states were computed before): the same sums
            assertClose(config + " f, batch " + batch, fused.value(), chainNet.forward(chainX));
            assertClose(config + " grad f, batch " + batch, fused.gradient(), autograd.gradient());
            // the trained net's layout sums the last layer's products in another order: float32 rounding only
            ReferenceConformanceTest.assertClose(config + " f as the default layout's", Parameters.toTensor(
                    fused.value()), Parameters.toTensor(autograd.value()), 1e-5);
        });
    }

    @Test
    void otherEnergiesAndInputsKeepAutograd() {
        Rng rng = new Rng(3);
        try (NDManager manager = NDManager.newBaseManager();
             EnergyNet gelu = EnergyNet.create(new NetConfig(Architecture.CONV32, 1, 4, Activation.GELU, 0.2),
                     manager, rng);
             EnergyNet leaky = EnergyNet.create(NetConfig.shortRun(32, 1, 4), manager, rng);
             NDManager chain = manager.newSubManager()) {
            NDArray x = ChannelsLast.copyOf(new RandomTensors(rng).uniform(manager, new Shape(2, 1, 32, 32), -1, 1));
            assertFalse(((EnergyNet) gelu.forChain(chain)).fusesInputGradient(x), "GELU has no fused path");
            EnergyNet chainNet = (EnergyNet) leaky.forChain(chain);
            assertTrue(chainNet.fusesInputGradient(x));
            assertFalse(chainNet.fusesInputGradient(x.toType(DataType.FLOAT64, true)), "float64 is autograd's");
            assertFalse(chainNet.fusesInputGradient(x.get(":, :, :16, :16")), "a 16x16 input is not conv32's");
        }
    }

    /** Concurrent runs in one JVM (pipeline slots) share the compiled modules; each chain keeps its own weights. */
    @Test
    void chainsOnSeveralThreadsGetTheirOwnGradients() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int seed = 1; seed <= 4; seed++) {
                int s = seed;
                runs.add(pool.submit(() -> {
                    Rng rng = new Rng(s);
                    NetConfig config = NetConfig.shortRun(32, 3, 4);
                    try (NDManager manager = NDManager.newBaseManager();
                         EnergyNet net = EnergyNet.create(config, manager, rng);
                         NDManager chain = manager.newSubManager()) {
                        EnergyNet chainNet = (EnergyNet) net.forChain(chain);
                        for (int i = 0; i < 5; i++) {
                            NDArray x = new RandomTensors(rng).uniform(manager, new Shape(3, 3, 32, 32), -1, 1);
                            assertClose("seed " + s, chainNet.inputGradient(ChannelsLast.copyOf(x)),
                                    net.inputGradient(x));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(); // rethrows a thread's assertion failure
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A Langevin chain through the fused gradient follows the autograd chain from the same start and noise. */
    @Test
    void langevinChainsAgree() {
        NetConfig config = NetConfig.shortRun(32, 3, 6);
        Rng rng = new Rng(11);
        try (NDManager manager = NDManager.newBaseManager();
             EnergyNet net = EnergyNet.create(config, manager, rng)) {
            NDArray start = new RandomTensors(rng).uniform(manager, new Shape(3, 3, 32, 32), -1, 1);
            Energy autogradOnly = net::forward; // forChain: itself; inputGradient: autograd
            LangevinSampler sampler = new LangevinSampler(LangevinConfig.shortRun(10));
            NDArray fused = sampler.run(net, start, 10, new RandomTensors(new Rng(5)), true, null).samples();
            net.parameters().requireGradients(false);
            NDArray plain = sampler.run(autogradOnly, start, 10, new RandomTensors(new Rng(5)), true, null).samples();
            assertClose("10 Langevin steps", fused, plain);
        }
    }

    private static void assertClose(String what, NDArray actual, NDArray expected) {
        ReferenceConformanceTest.assertClose(what, Parameters.toTensor(actual), Parameters.toTensor(expected),
                TOLERANCE);
    }
}
