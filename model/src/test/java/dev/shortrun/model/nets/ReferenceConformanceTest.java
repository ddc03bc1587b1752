package dev.shortrun.model.nets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.TestSupport;
import dev.shortrun.model.data.PositiveSource;
import dev.shortrun.model.io.Npy;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.learning.Learner;
import dev.shortrun.model.learning.LearnerConfig;
import dev.shortrun.model.learning.OptimizerConfig;
import dev.shortrun.model.learning.Schedule;
import dev.shortrun.model.sampling.Initializer;
import dev.shortrun.model.sampling.LangevinConfig;
import dev.shortrun.model.sampling.LangevinSampler;
import dev.shortrun.model.torch.ChannelsLast;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.model.util.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same weights, inputs and noise through shortrun and through the PyTorch seed-code algorithm
 * (infra/reference/reference_step.py, Debian python3-torch): f(x), grad f(x), a K=5 Langevin trajectory and one
 * Adam update (its weight gradients and the updated weights) must agree to 1e-5 relative.
 */
class ReferenceConformanceTest {
    private static final double TOLERANCE = 1e-5;
    private static final int N = 4;
    private static final int K = 5;

    @BeforeAll
    static void engine() {
        Torch.configure(1);
    }

    static Stream<Arguments> networks() {
        return Stream.of(
                Arguments.of(new NetConfig(Architecture.CONV32, 3, 8, Activation.LEAKY_RELU, 0.2), 1.0, 0.01),
                Arguments.of(new NetConfig(Architecture.CONV128, 3, 2, Activation.LEAKY_RELU, 0.05), 1.0, 0.01),
                Arguments.of(new NetConfig(Architecture.CONV64, 1, 4, Activation.GELU, 0.2), 1.0, 0.01),
                Arguments.of(new NetConfig(Architecture.CONV32, 1, 6, Activation.SOFTPLUS, 0.2), 0.5, 0.02),
                Arguments.of(new NetConfig(Architecture.TOY, 2, 8, Activation.LEAKY_RELU, 0.05), 1.0, 0.01));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void matchesPyTorchReference(NetConfig config, double stepSize, double noiseStd, @TempDir Path dir)
            throws Exception {
        Rng rng = new Rng(42);
        RandomTensors random = new RandomTensors(rng);
        Shape example = config.architecture() == Architecture.TOY ? new Shape(2)
                : new Shape(config.channels(), config.imageSize(), config.imageSize());
        Shape batch = new Shape(N).addAll(example);
        double lr = 1e-4; // the papers' Adam lr
        try (NDManager manager = NDManager.newBaseManager();
             EnergyNet net = EnergyNet.create(config, manager, rng)) {
            NDArray x = random.uniform(manager, batch, -1, 1);
            NDArray noise = random.normal(manager, new Shape(K).addAll(batch));
            NDArray xPos = random.uniform(manager, batch, -1, 1);
            NDArray xNeg = random.uniform(manager, batch, -1, 1);
            for (Map.Entry<String, NDArray> p : net.parameters().asMap().entrySet()) {
                Npy.write(dir.resolve("param_" + p.getKey() + ".npy"), Parameters.toTensor(p.getValue()));
            }
            Npy.write(dir.resolve("x.npy"), Parameters.toTensor(x));
            Npy.write(dir.resolve("noise.npy"), Parameters.toTensor(noise));
            Npy.write(dir.resolve("x_pos.npy"), Parameters.toTensor(xPos));
            Npy.write(dir.resolve("x_neg.npy"), Parameters.toTensor(xNeg));
            Files.writeString(dir.resolve("config.json"), String.format(Locale.ROOT,
                    "{\"arch\": \"%s\", \"channels\": %d, \"n_f\": %d, \"activation\": \"%s\", \"slope\": %s, "
                            + "\"step_size\": %s, \"noise_std\": %s, \"lr\": %s, \"beta1\": 0.9, \"beta2\": 0.999, "
                            + "\"eps\": 1e-8, \"threads\": 1}",
                    config.architecture().name().toLowerCase(Locale.ROOT), config.channels(), config.nf(),
                    config.activation().name().toLowerCase(Locale.ROOT), config.slope(), stepSize, noiseStd, lr));
            runReference(dir);

            // f(x) and grad f(x)
            NDArray xg = x.duplicate();
            assertClose("f(x)", Parameters.toTensor(net.forward(x)), Npy.read(dir.resolve("out_f.npy")));
            assertClose("grad f(x)", Parameters.toTensor(LangevinSampler.inputGradient(net, xg)),
                    Npy.read(dir.resolve("out_grad.npy")));
            try (NDManager chain = manager.newSubManager()) { // the chains' own path (fused for LeakyReLU stacks)
                assertClose("grad f(x) in a chain", Parameters.toTensor(net.forChain(chain)
                        .inputGradient(ChannelsLast.copyOf(x))), Npy.read(dir.resolve("out_grad.npy")));
            }

            // K Langevin steps with the same noise
            LangevinSampler sampler = new LangevinSampler(new LangevinConfig(stepSize, noiseStd, K, K));
            List<Tensor> trajectory = new ArrayList<>();
            trajectory.add(Parameters.toTensor(x));
            sampler.run(net, x, K, (m, shape, k) -> noise.get(k - 1).duplicate(),
                    (k, state) -> trajectory.add(Parameters.toTensor(state)));
            Tensor expected = Npy.read(dir.resolve("out_traj.npy"));
            int stride = Math.toIntExact(batch.size());
            for (int k = 0; k <= K; k++) {
                float[] slice = java.util.Arrays.copyOfRange(expected.data(), k * stride, (k + 1) * stride);
                assertClose("x_" + k, trajectory.get(k), new Tensor(batch.getShape(), slice));
            }

            // one Adam update on L = mean f(x+) - mean f(x-)
            LearnerConfig learnerConfig = new LearnerConfig(N, Schedule.constant(0), Schedule.constant(lr),
                    OptimizerConfig.adam(), Initializer.uniform(), 1e6);
            Map<String, Tensor> before = net.parameters().toTensors();
            try (Learner learner = new Learner(net, sampler, learnerConfig, unusedSource(example), rng)) {
                learner.lossGradients(xPos, xNeg);
                learner.applyUpdate(lr);
            }
            // Gradients are compared as one vector: a bias gradient sums many cancelling terms of x+ and x-, so
            // its own magnitude says nothing about float32 summation noise; the whole gradient's scale does.
            List<Tensor> mine = new ArrayList<>();
            List<Tensor> theirs = new ArrayList<>();
            for (Map.Entry<String, NDArray> p : net.parameters().asMap().entrySet()) {
                mine.add(Parameters.toTensor(p.getValue().getGradient()));
                theirs.add(Npy.read(dir.resolve("out_pgrad_" + p.getKey() + ".npy")));
            }
            assertClose("d(-L)/d theta", concat(mine), concat(theirs));
            List<Tensor> old = new ArrayList<>();
            List<Tensor> updated = new ArrayList<>();
            List<Tensor> reference = new ArrayList<>();
            for (Map.Entry<String, Tensor> p : net.parameters().toTensors().entrySet()) {
                Tensor ref = Npy.read(dir.resolve("out_param_" + p.getKey() + ".npy"));
                assertClose("updated " + p.getKey(), p.getValue(), ref);
                old.add(before.get(p.getKey()));
                updated.add(p.getValue());
                reference.add(ref);
            }
            assertUpdateMatches(concat(old), concat(updated), concat(reference), lr);
        }
    }

    private static void runReference(Path dir) throws IOException, InterruptedException {
        Path script = TestSupport.root().resolve("infra/reference/reference_step.py");
        Process p = new ProcessBuilder(TestSupport.python(), script.toString(), dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "PyTorch reference failed (is python3-torch installed?):\n" + output);
    }

    /** max |a - b| <= 1e-5 * max |b|, with equal shapes. */
    static void assertClose(String what, Tensor actual, Tensor expected) {
        assertClose(what, actual, expected, TOLERANCE);
    }

    /** max |a - b| <= tolerance * max |b|, with equal shapes. */
    static void assertClose(String what, Tensor actual, Tensor expected, double tolerance) {
        assertTrue(java.util.Arrays.equals(actual.shape(), expected.shape()), what + ": shape "
                + java.util.Arrays.toString(actual.shape()) + " vs " + java.util.Arrays.toString(expected.shape()));
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < expected.data().length; i++) {
            scale = Math.max(scale, Math.abs(expected.data()[i]));
            worst = Math.max(worst, Math.abs(actual.data()[i] - expected.data()[i]));
        }
        assertTrue(scale > 0, what + ": reference is all zeros");
        assertTrue(worst <= tolerance * scale, String.format("%s: max |diff| %.3g > %.0e x max |ref| %.3g", what,
                worst, tolerance, scale));
    }

    /**
     * The step itself (new - old), not just the new weights, must match: Adam's first step is ~lr * sign(grad),
     * so compare within 1% of lr, allowing only elements whose gradient is at rounding level to differ.
     */
    private static void assertUpdateMatches(Tensor before, Tensor after, Tensor ref, double lr) {
        int mismatched = 0;
        int moved = 0;
        for (int i = 0; i < before.data().length; i++) {
            double mine = after.data()[i] - before.data()[i];
            double theirs = ref.data()[i] - before.data()[i];
            if (Math.abs(theirs) > 0.5 * lr) {
                moved++;
            }
            if (Math.abs(mine - theirs) > 0.01 * lr) {
                mismatched++;
            }
        }
        assertTrue(moved > before.data().length / 2, "the reference update barely moved the weights");
        assertTrue(mismatched <= Math.max(1, before.data().length / 1000), mismatched + " of "
                + before.data().length + " update steps differ from PyTorch's by more than 1% of lr");
    }

    static Tensor concat(List<Tensor> parts) {
        int n = parts.stream().mapToInt(t -> t.data().length).sum();
        float[] all = new float[n];
        int at = 0;
        for (Tensor t : parts) {
            System.arraycopy(t.data(), 0, all, at, t.data().length);
            at += t.data().length;
        }
        return new Tensor(new long[] {n}, all);
    }

    static PositiveSource unusedSource(Shape example) {
        return new PositiveSource() {
            @Override
            public NDArray batch(NDManager manager, int size, Rng rng) {
                throw new AssertionError("not used: the update gets its batches directly");
            }

            @Override
            public long[] exampleShape() {
                return example.getShape();
            }

            @Override
            public String fingerprint() {
                return "test";
            }
        };
    }
}
