package dev.shortrun.model.nets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.sampling.LangevinSampler;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.model.util.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The input gradient the sampler climbs equals central finite differences of f (float64). */
class InputGradientTest {
    @BeforeAll
    static void engine() {
        Torch.configure(2);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void inputGradientMatchesFiniteDifferences(Activation activation) {
        Rng rng = new Rng(7);
        try (NDManager manager = NDManager.newBaseManager();
             EnergyNet net = EnergyNet.create(new NetConfig(Architecture.CONV32, 1, 4, activation, 0.2), manager,
                     rng)) {
            net.parameters().castTo(DataType.FLOAT64);
            int n = 2;
            double[] x = new double[n * 32 * 32];
            for (int i = 0; i < x.length; i++) {
                x[i] = 2 * rng.nextDouble() - 1;
            }
            Shape shape = new Shape(n, 1, 32, 32);
            double[] grad = LangevinSampler.inputGradient(net, manager.create(x, shape)).toDoubleArray();
            assertMatchesDifferences(activation.toString(), net, manager, x, shape, grad, rng, 40);
        }
    }

    /**
     * {@code grad}, the input gradient of a float64 net at {@code x}, agrees with central differences of f at
     * {@code trials} random coordinates to 1e-6 of its scale, and is not all zeros.
     */
    static void assertMatchesDifferences(String label, EnergyNet net, NDManager manager, double[] x, Shape shape,
                                         double[] grad, Rng rng, int trials) {
        double h = 1e-6;
        double worst = 0;
        double scale = 0;
        for (int trial = 0; trial < trials; trial++) {
            int i = rng.nextInt(x.length);
            double[] plus = x.clone();
            double[] minus = x.clone();
            plus[i] += h;
            minus[i] -= h;
            double fd = (sum(net, manager.create(plus, shape)) - sum(net, manager.create(minus, shape))) / (2 * h);
            worst = Math.max(worst, Math.abs(fd - grad[i]));
            scale = Math.max(scale, Math.abs(grad[i]));
        }
        assertTrue(scale > 0, label + ": gradient is all zeros");
        assertTrue(worst < 1e-6 * Math.max(1, scale), label + ": max |fd - grad| = " + worst + " (gradient scale "
                + scale + ")");
    }

    private static double sum(EnergyNet net, NDArray x) {
        return net.forward(x).sum().getDouble();
    }

    @Test
    void networksHaveTheReferenceLayout() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int size : new int[] {32, 64, 128}) {
                try (EnergyNet net = EnergyNet.create(NetConfig.shortRun(size, 3, 8), manager, new Rng(1))) {
                    int convs = 5 + (size == 64 ? 1 : size == 128 ? 2 : 0);
                    assertEquals(2 * convs, net.parameters().names().size());
                    assertArrayEquals(new long[] {8, 3, 3, 3}, net.parameters().get("f.0.weight").getShape().getShape());
                    String last = "f." + (2 * (convs - 1)) + ".weight";
                    assertArrayEquals(new long[] {1, 64, 4, 4}, net.parameters().get(last).getShape().getShape());
                    NDArray f = net.forward(manager.randomUniform(-1, 1, new Shape(5, 3, size, size)));
                    assertArrayEquals(new long[] {5}, f.getShape().getShape());
                }
            }
            try (EnergyNet toy = EnergyNet.create(NetConfig.toy(), manager, new Rng(1))) {
                assertEquals(List.of("f.0.weight", "f.0.bias", "f.2.weight", "f.2.bias", "f.4.weight", "f.4.bias",
                        "f.6.weight", "f.6.bias", "f.8.weight", "f.8.bias"), List.copyOf(toy.parameters().names()));
                assertArrayEquals(new long[] {64, 64, 1, 1}, toy.parameters().get("f.4.weight").getShape().getShape());
                assertArrayEquals(new long[] {7}, toy.forward(manager.randomUniform(-1, 1, new Shape(7, 2)))
                        .getShape().getShape());
            }
        }
    }

    @Test
    void initialisationFollowsPyTorchConvBounds() {
        try (NDManager manager = NDManager.newBaseManager();
             EnergyNet net = EnergyNet.create(NetConfig.shortRun(32, 3, 16), manager, new Rng(3))) {
            // f.2: in 16 channels, 4x4 kernel -> fan_in 256, bound 1/16
            float[] w = net.parameters().get("f.2.weight").toFloatArray();
            double max = 0;
            for (float v : w) {
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(max <= 1.0 / 16 && max > 0.9 / 16, "weights must fill +-1/sqrt(fan_in), max " + max);
        }
    }
}
