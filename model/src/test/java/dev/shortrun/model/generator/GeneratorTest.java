package dev.shortrun.model.generator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.nets.Activation;
import dev.shortrun.model.nets.Architecture;
import dev.shortrun.model.nets.EnergyNet;
import dev.shortrun.model.nets.NetConfig;
import dev.shortrun.model.sampling.Initializer;
import dev.shortrun.model.sampling.LangevinConfig;
import dev.shortrun.model.sampling.LowResolution;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.model.util.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Interpolation end points, the super-resolution start, the exact Jacobian and the 2D flow density. */
class GeneratorTest {
    @BeforeAll
    static void engine() {
        Torch.configure(2);
    }

    @Test
    void interpolationEndsReproduceTheEndPoints() {
        Rng rng = new Rng(3);
        try (NDManager manager = NDManager.newBaseManager();
             EnergyNet net = EnergyNet.create(new NetConfig(Architecture.CONV32, 1, 4, Activation.LEAKY_RELU, 0.2),
                     manager, rng)) {
            ShortRunGenerator g = new ShortRunGenerator(net, new LangevinConfig(5.0, 0.01, 3, 3), 3);
            RandomTensors random = new RandomTensors(rng);
            Shape shape = new Shape(3, 1, 32, 32);
            NDArray z1 = random.uniform(manager, shape, -1, 1);
            NDArray z2 = random.uniform(manager, shape, -1, 1);
            int points = 5;
            NDArray strips = Interpolation.strips(g, z1, z2, points);
            assertArrayEquals(new long[] {3 * points, 1, 32, 32}, strips.getShape().getShape());
            NDArray m1 = g.apply(z1);
            NDArray m2 = g.apply(z2);
            assertTrue(m1.sub(z1).abs().max().getFloat() > 1e-3, "M must move z for the check to mean anything");
            for (int pair = 0; pair < 3; pair++) {
                assertClose(m1.get(pair), strips.get(pair * points), "rho = 1 is M(z1)");
                assertClose(m2.get(pair), strips.get(pair * points + points - 1), "rho = 0 is M(z2)");
            }
            double[] rho = Interpolation.rhos(points);
            assertEquals(1.0, rho[0]);
            assertEquals(0.0, rho[points - 1]);
            assertThrows(IllegalArgumentException.class, () -> Interpolation.rhos(1));
        }
    }

    private static void assertClose(NDArray expected, NDArray actual, String what) {
        float diff = expected.sub(actual).abs().max().getFloat();
        assertTrue(diff < 1e-5, what + ": max |diff| " + diff);
    }

    @Test
    void lowResolutionStartHasTheImageShapeAndItsLowResolution() {
        Rng rng = new Rng(4);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray images = new RandomTensors(rng).uniform(manager, new Shape(2, 3, 32, 32), -1, 1);
            for (int size : new int[] {4, 8, 16}) {
                NDArray start = Initializer.lowres(size).fromData(images);
                assertArrayEquals(images.getShape().getShape(), start.getShape().getShape());
                NDArray low = LowResolution.downsample(images, size);
                assertArrayEquals(new long[] {2, 3, size, size}, low.getShape().getShape());
                assertClose(low, LowResolution.downsample(start, size), size + "x" + size + " of the start");
                // nearest upsampling: every pixel of a block equals the block's mean
                int f = 32 / size;
                float[] s = start.toFloatArray();
                float[] l = low.toFloatArray();
                assertEquals(l[0], s[0], 1e-6);
                assertEquals(l[0], s[(f - 1) * 32 + f - 1], 1e-6);
                assertEquals(l[1], s[f], 1e-6);
                // the block mean by hand
                float[] x = images.toFloatArray();
                double sum = 0;
                for (int r = 0; r < f; r++) {
                    for (int c = 0; c < f; c++) {
                        sum += x[r * 32 + c];
                    }
                }
                assertEquals(sum / (f * f), l[0], 1e-5);
            }
            assertThrows(IllegalArgumentException.class, () -> Initializer.lowres(5).fromData(images));
            assertThrows(IllegalStateException.class,
                    () -> Initializer.lowres(8).draw(manager, new Shape(1, 3, 32, 32), new RandomTensors(rng)));
        }
    }

    @Test
    void jacobianMatchesFiniteDifferencesAndLogDetIsExact() {
        Rng rng = new Rng(8);
        try (NDManager manager = NDManager.newBaseManager();
             EnergyNet net = EnergyNet.create(new NetConfig(Architecture.TOY, 2, 8, Activation.GELU, 0.05), manager,
                     rng)) {
            net.parameters().castTo(DataType.FLOAT64);
            ShortRunGenerator g = new ShortRunGenerator(net, new LangevinConfig(2.0, 0.01, 4, 4), 4);
            double[] z = {0.3, -0.6};
            double[][] j = FlowLikelihood.jacobian(g, manager.create(z, new Shape(1, 2)));
            double h = 1e-6;
            for (int col = 0; col < 2; col++) {
                double[] plus = z.clone();
                double[] minus = z.clone();
                plus[col] += h;
                minus[col] -= h;
                double[] mp = g.apply(manager.create(plus, new Shape(1, 2))).toDoubleArray();
                double[] mm = g.apply(manager.create(minus, new Shape(1, 2))).toDoubleArray();
                for (int row = 0; row < 2; row++) {
                    assertEquals((mp[row] - mm[row]) / (2 * h), j[row][col], 1e-7, "J[" + row + "][" + col + "]");
                }
            }
            assertTrue(Math.abs(j[0][1]) > 1e-4, "off-diagonal Jacobian terms must be exercised");
            double[][] m = {{2, 1, 0}, {1, 3, 1}, {0, 1, 4}}; // det = 18
            assertEquals(Math.log(18), FlowLikelihood.logAbsDet(m), 1e-12);
            assertEquals(-3 * Math.log(2), FlowLikelihood.logPrior(Initializer.uniform(), new double[] {0, .5, -1}));
            assertEquals(Double.NEGATIVE_INFINITY, FlowLikelihood.logPrior(Initializer.uniform(), new double[] {1.1}));
        }
    }

    @Test
    void toyFlowDensityIntegratesToOne() {
        Rng rng = new Rng(21);
        try (NDManager manager = NDManager.newBaseManager();
             EnergyNet net = EnergyNet.create(new NetConfig(Architecture.TOY, 2, 8, Activation.SOFTPLUS, 0.05),
                     manager, rng)) {
            net.parameters().castTo(DataType.FLOAT64);
            ShortRunGenerator g = new ShortRunGenerator(net, new LangevinConfig(60.0, 0.01, 5, 5), 5);
            ToyFlowDensity.Grid grid = ToyFlowDensity.on(g, Initializer.uniform(), manager, 90, 3.0, 5, 1e-9);
            double max = 0;
            double min = Double.POSITIVE_INFINITY;
            for (double p : grid.density()) {
                if (p > 0) {
                    max = Math.max(max, p);
                    min = Math.min(min, p);
                }
            }
            // a uniform p0 pushed through M: far from 1/4 everywhere would mean the map is non-trivial
            assertTrue(max / min > 1.1, "the chain barely deforms p0 (density range " + min + ".." + max + ")");
            assertTrue(grid.reached() > 0.99, "inversion failed for " + (1 - grid.reached()) + " of the grid");
            assertEquals(1.0, grid.integral(), 0.02, "flow density over the grid");
        }
    }
}
