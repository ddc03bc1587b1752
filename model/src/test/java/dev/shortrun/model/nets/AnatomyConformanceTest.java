package dev.shortrun.model.nets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.TestSupport;
import dev.shortrun.model.io.Npy;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.learning.IterationStats;
import dev.shortrun.model.learning.Learner;
import dev.shortrun.model.learning.LearnerConfig;
import dev.shortrun.model.learning.OptimizerConfig;
import dev.shortrun.model.learning.Schedule;
import dev.shortrun.model.sampling.Initializer;
import dev.shortrun.model.sampling.LangevinConfig;
import dev.shortrun.model.sampling.LangevinSampler;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.model.util.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.shortrun.model.nets.ReferenceConformanceTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The NonlocalNet and one iteration of the Anatomy paper's Algorithm 1 against PyTorch
 * (infra/reference/anatomy_step.py, Debian python3-torch), on the same weights, inputs and noise: parameter names
 * and order, f(x) = -F(x), grad f, a K-step chain with eps and tau, r_t, d_s_t (the scaled loss), its weight
 * gradients and the SGD step with lr (eps^2/2) gamma0, all to 1e-5 relative.
 */
class AnatomyConformanceTest {
    private static final int N = 3;
    private static final int K = 4;

    @BeforeAll
    static void engine() {
        Torch.configure(1);
    }

    @ParameterizedTest(name = "channels {0}, n_f {1}, eps {2}, tau {3}")
    @CsvSource({"1, 4, 0.0075, 1", "3, 6, 0.05, 0"})
    void nonlocalIterationMatchesPyTorch(int channels, int nf, double eps, int tau, @TempDir Path dir)
            throws Exception {
        double gamma0 = 0.1;
        NetConfig config = new NetConfig(Architecture.NONLOCAL32, channels, nf, Activation.LEAKY_RELU, 0.05);
        Rng rng = new Rng(11);
        RandomTensors random = new RandomTensors(rng);
        Shape batch = new Shape(N, channels, 32, 32);
        try (NDManager manager = NDManager.newBaseManager();
             EnergyNet net = EnergyNet.create(config, manager, rng)) {
            // The blocks' W starts at zero (each block the identity); random W exercises the attention path.
            LinkedHashMap<String, Tensor> weights = net.parameters().toTensors();
            weights.replaceAll((name, t) -> name.contains(".W.") ? randomLike(t, rng) : t);
            net.parameters().load(weights, "test");

            NDArray x = random.uniform(manager, batch, -1, 1);
            NDArray noise = random.normal(manager, new Shape(K).addAll(batch));
            NDArray xPos = random.uniform(manager, batch, -1, 1);
            for (Map.Entry<String, Tensor> p : weights.entrySet()) {
                Npy.write(dir.resolve("param_" + p.getKey() + ".npy"), p.getValue());
            }
            Npy.write(dir.resolve("x.npy"), Parameters.toTensor(x));
            Npy.write(dir.resolve("noise.npy"), Parameters.toTensor(noise));
            Npy.write(dir.resolve("x_pos.npy"), Parameters.toTensor(xPos));
            Files.writeString(dir.resolve("config.json"), String.format(Locale.ROOT,
                    "{\"n_c\": %d, \"n_f\": %d, \"slope\": 0.05, \"epsilon\": %s, \"tau\": %d, \"gamma0\": %s, "
                            + "\"threads\": 1}", channels, nf, eps, tau, gamma0));
            run(dir);

            assertEquals(Files.readAllLines(dir.resolve("out_names.txt")), List.copyOf(net.parameters().names()),
                    "parameter names and order must be the reference state_dict's");

            // f = -F: the reference network's output is the energy
            assertClose("f(x) = -F(x)", Parameters.toTensor(net.forward(x)),
                    negate(Npy.read(dir.resolve("out_f.npy"))));
            assertClose("grad f(x) = -grad F(x)", Parameters.toTensor(LangevinSampler.inputGradient(net,
                    x.duplicate())), negate(Npy.read(dir.resolve("out_grad.npy"))));

            LangevinSampler sampler = new LangevinSampler(LangevinConfig.anatomy(eps, tau, K, K));
            List<Tensor> trajectory = new ArrayList<>();
            trajectory.add(Parameters.toTensor(x));
            LangevinSampler.Chain chain = sampler.run(net, x, K, (m, shape, k) -> noise.get(k - 1).duplicate(),
                    (k, state) -> trajectory.add(Parameters.toTensor(state)));
            Tensor expected = Npy.read(dir.resolve("out_traj.npy"));
            int stride = Math.toIntExact(batch.size());
            for (int k = 0; k <= K; k++) {
                assertClose("x_" + k, trajectory.get(k), new Tensor(batch.getShape(),
                        Arrays.copyOfRange(expected.data(), k * stride, (k + 1) * stride)));
            }

            double lr = LearnerConfig.sgdLearningRate(gamma0, eps);
            LearnerConfig learnerConfig = new LearnerConfig(N, Schedule.constant(0), Schedule.constant(lr),
                    OptimizerConfig.sgd(), Initializer.persistent(N), 1e30, eps);
            LinkedHashMap<String, Tensor> before = net.parameters().toTensors();
            try (Learner learner = new Learner(net, sampler, learnerConfig,
                    ReferenceConformanceTest.unusedSource(batch.slice(1)), rng)) {
                double[] f = learner.lossGradients(xPos, chain.samples());
                IterationStats stats = learner.measure(f[0], f[1], chain.meanGradNorm(), K, lr, 0, 0);
                assertRelative("r_t", Npy.read(dir.resolve("out_r.npy")).data()[0], stats.rt(), 1e-5);
                assertRelative("d_s_t", Npy.read(dir.resolve("out_d.npy")).data()[0], stats.dst(), 1e-4);
                assertRelative("v_t = r_t * 2/eps^2", stats.rt() * 2 / (eps * eps), stats.vt(), 1e-12);
                List<Tensor> mine = new ArrayList<>();
                List<Tensor> theirs = new ArrayList<>();
                for (Map.Entry<String, NDArray> p : net.parameters().asMap().entrySet()) {
                    mine.add(Parameters.toTensor(p.getValue().getGradient()));
                    theirs.add(Npy.read(dir.resolve("out_pgrad_" + p.getKey() + ".npy")));
                }
                assertClose("d(scaled loss)/d theta", ReferenceConformanceTest.concat(mine),
                        ReferenceConformanceTest.concat(theirs));
                learner.applyUpdate(lr);
            }
            List<Tensor> myStep = new ArrayList<>();
            List<Tensor> refStep = new ArrayList<>();
            for (Map.Entry<String, Tensor> p : net.parameters().toTensors().entrySet()) {
                Tensor ref = Npy.read(dir.resolve("out_param_" + p.getKey() + ".npy"));
                assertClose("updated " + p.getKey(), p.getValue(), ref);
                myStep.add(minus(p.getValue(), before.get(p.getKey())));
                refStep.add(minus(ref, before.get(p.getKey())));
            }
            // The SGD step itself (tiny next to the weights) must match, not only the updated weights.
            Tensor mineAll = ReferenceConformanceTest.concat(myStep);
            Tensor theirsAll = ReferenceConformanceTest.concat(refStep);
            double scale = 0;
            double worst = 0;
            for (int i = 0; i < theirsAll.data().length; i++) {
                scale = Math.max(scale, Math.abs(theirsAll.data()[i]));
                worst = Math.max(worst, Math.abs(mineAll.data()[i] - theirsAll.data()[i]));
            }
            assertTrue(scale > 0, "the reference SGD step did not move the weights");
            assertTrue(worst <= 1e-3 * scale, "SGD step differs from PyTorch's by " + worst + " (step scale "
                    + scale + ")");
        }
    }

    private static Tensor randomLike(Tensor t, Rng rng) {
        float[] v = new float[t.data().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rng.nextDouble() - 0.5);
        }
        return new Tensor(t.shape(), v);
    }

    private static Tensor negate(Tensor t) {
        float[] v = t.data().clone();
        for (int i = 0; i < v.length; i++) {
            v[i] = -v[i];
        }
        return new Tensor(t.shape(), v);
    }

    private static Tensor minus(Tensor a, Tensor b) {
        float[] v = new float[a.data().length];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.data()[i] - b.data()[i];
        }
        return new Tensor(a.shape(), v);
    }

    private static void assertRelative(String what, double expected, double actual, double tolerance) {
        assertTrue(Math.abs(actual - expected) <= tolerance * Math.abs(expected),
                String.format("%s: %.9g vs PyTorch %.9g", what, actual, expected));
    }

    private static void run(Path dir) throws IOException, InterruptedException {
        Path script = TestSupport.root().resolve("infra/reference/anatomy_step.py");
        Process p = new ProcessBuilder(TestSupport.python(), script.toString(), dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "PyTorch reference failed (is python3-torch installed?):\n" + output);
    }
}
