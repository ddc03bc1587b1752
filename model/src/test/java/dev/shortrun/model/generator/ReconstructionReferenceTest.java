package dev.shortrun.model.generator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.TestSupport;
import dev.shortrun.model.io.Npy;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.nets.Activation;
import dev.shortrun.model.nets.Architecture;
import dev.shortrun.model.nets.EnergyNet;
import dev.shortrun.model.nets.NetConfig;
import dev.shortrun.model.nets.Parameters;
import dev.shortrun.model.sampling.LangevinConfig;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.model.util.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reconstruction gradient through K steps equals PyTorch's own (autograd with create_graph through the chain,
 * infra/reference/reconstruction_grad.py) on the same weights, z and x, in float64.
 */
class ReconstructionReferenceTest {
    private static final int K = 4;
    private static final double STEP = 30.0;

    @BeforeAll
    static void engine() {
        Torch.configure(1);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void gradientMatchesPyTorchAutograd(Activation activation, @TempDir Path dir) throws Exception {
        NetConfig config = new NetConfig(Architecture.CONV32, 1, 4, activation, 0.2);
        Rng rng = new Rng(17);
        Shape shape = new Shape(2, 1, 32, 32);
        try (NDManager manager = NDManager.newBaseManager();
             EnergyNet net = EnergyNet.create(config, manager, rng)) {
            RandomTensors random = new RandomTensors(rng);
            Tensor z = Parameters.toTensor(random.uniform(manager, shape, -1, 1));
            Tensor x = Parameters.toTensor(random.uniform(manager, shape, -1, 1));
            for (Map.Entry<String, NDArray> p : net.parameters().asMap().entrySet()) {
                Npy.write(dir.resolve("param_" + p.getKey() + ".npy"), Parameters.toTensor(p.getValue()));
            }
            Npy.write(dir.resolve("z.npy"), z);
            Npy.write(dir.resolve("x.npy"), x);
            Files.writeString(dir.resolve("config.json"), String.format(Locale.ROOT,
                    "{\"arch\": \"conv32\", \"channels\": 1, \"n_f\": 4, \"activation\": \"%s\", \"slope\": 0.2, "
                            + "\"step_size\": %s, \"K\": %d}",
                    activation.name().toLowerCase(Locale.ROOT), STEP, K));
            Path script = TestSupport.root().resolve("infra/reference/reconstruction_grad.py");
            Process p = new ProcessBuilder(TestSupport.python(), script.toString(), dir.toString())
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), "PyTorch reference failed (is python3-torch installed?):\n" + output);

            net.parameters().castTo(DataType.FLOAT64);
            ShortRunGenerator g = new ShortRunGenerator(net, new LangevinConfig(STEP, 0.01, K, K), K);
            NDArray zz = manager.create(z.data(), shape).toType(DataType.FLOAT64, false);
            NDArray xx = manager.create(x.data(), shape).toType(DataType.FLOAT64, false);
            double[] grad = new Reconstruction(g, DescentRule.constant(1.0), null).lossAndGradient(zz, xx)[1]
                    .toDoubleArray();
            float[] expected = Npy.read(dir.resolve("out_grad.npy")).data();
            float[] m = Npy.read(dir.resolve("out_m.npy")).data();
            double[] mine = g.apply(zz).toDoubleArray();
            assertClose("M(z)", mine, m);
            assertClose("dL/dz", grad, expected);
        }
    }

    /** max |a - b| <= 1e-5 * max |b| (the reference is rounded to float32 on output). */
    private static void assertClose(String what, double[] actual, float[] expected) {
        assertEquals(expected.length, actual.length, what + ": size");
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        assertTrue(scale > 0, what + ": reference is all zeros");
        assertTrue(worst <= 1e-5 * scale, String.format("%s: max |diff| %.3g vs scale %.3g", what, worst, scale));
    }
}
