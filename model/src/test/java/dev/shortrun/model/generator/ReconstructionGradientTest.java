package dev.shortrun.model.generator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.nets.Activation;
import dev.shortrun.model.nets.Architecture;
import dev.shortrun.model.nets.EnergyNet;
import dev.shortrun.model.nets.NetConfig;
import dev.shortrun.model.sampling.LangevinConfig;
import dev.shortrun.model.sampling.LangevinSampler;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.model.util.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reconstruction gradient dL/dz of {@code L(z) = ||x - M(z)||^2}, through all K steps by the reverse pass with
 * Hessian-vector products, equals central finite differences of L (float64, K small).
 */
class ReconstructionGradientTest {
    private static final int K = 4;

    @BeforeAll
    static void engine() {
        Torch.configure(2);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void imageNetGradientMatchesFiniteDifferences(Activation activation) {
        // step 30: random-init nets are nearly flat; a large step makes the Hessian terms a sizeable part of dL/dz
        check(new NetConfig(Architecture.CONV32, 1, 4, activation, 0.2), new Shape(2, 1, 32, 32), 30.0, 24);
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void toyNetGradientMatchesFiniteDifferences(Activation activation) {
        check(new NetConfig(Architecture.TOY, 2, 8, activation, 0.05), new Shape(5, 2), 0.5, 10);
    }

    private static void check(NetConfig config, Shape shape, double stepSize, int trials) {
        Rng rng = new Rng(11);
        try (NDManager manager = NDManager.newBaseManager();
             EnergyNet net = EnergyNet.create(config, manager, rng)) {
            net.parameters().castTo(DataType.FLOAT64);
            ShortRunGenerator generator = new ShortRunGenerator(net, new LangevinConfig(stepSize, 0.01, K, K), K);
            double[] z = uniform(rng, (int) shape.size());
            double[] x = uniform(rng, (int) shape.size());
            NDArray target = manager.create(x, shape);
            Reconstruction recon = new Reconstruction(generator, DescentRule.constant(1.0), null);
            NDArray[] lg = recon.lossAndGradient(manager.create(z, shape), target);
            double[] grad = lg[1].toDoubleArray();
            double[] residualTerm = generator.apply(manager.create(z, shape)).sub(target).muli(2).toDoubleArray();

            double h = 1e-6;
            double worst = 0;
            double scale = 0;
            double hessianPart = 0;
            for (int t = 0; t < trials; t++) {
                int i = rng.nextInt(z.length);
                double[] plus = z.clone();
                double[] minus = z.clone();
                plus[i] += h;
                minus[i] -= h;
                double fd = (loss(generator, manager.create(plus, shape), target)
                        - loss(generator, manager.create(minus, shape), target)) / (2 * h);
                worst = Math.max(worst, Math.abs(fd - grad[i]));
                scale = Math.max(scale, Math.abs(fd));
                hessianPart = Math.max(hessianPart, Math.abs(grad[i] - residualTerm[i]));
            }
            assertTrue(scale > 0, "finite differences are all zero");
            assertTrue(worst < 1e-6 * Math.max(1, scale), config.activation() + " " + config.architecture()
                    + ": max |fd - grad| = " + worst + " (gradient scale " + scale + ")");
            if (config.activation() == Activation.LEAKY_RELU) {
                assertEquals(0.0, hessianPart, 1e-12, "LeakyReLU: dM/dz = I a.e., so dL/dz = 2 (M(z) - x)");
            } else {
                // the test must be able to tell the reverse pass from the identity shortcut
                assertTrue(hessianPart > 1e-3 * scale, config.activation() + ": the Hessian terms are negligible ("
                        + hessianPart + " vs " + scale + "); the check would not catch a wrong reverse pass");
            }
        }
    }

    /** H f(x) v (assembled from the chain rule, no double backward) equals differences of grad f along v. */
    @ParameterizedTest
    @EnumSource(Activation.class)
    void hessianVectorProductMatchesDifferencesOfTheGradient(Activation activation) {
        Rng rng = new Rng(5);
        try (NDManager manager = NDManager.newBaseManager();
             EnergyNet net = EnergyNet.create(new NetConfig(Architecture.CONV32, 1, 4, activation, 0.2), manager,
                     rng)) {
            net.parameters().castTo(DataType.FLOAT64);
            net.parameters().requireGradients(false);
            Shape shape = new Shape(2, 1, 32, 32);
            double[] x = uniform(rng, (int) shape.size());
            double[] v = uniform(rng, (int) shape.size());
            double h = 1e-5;
            double[] plus = x.clone();
            double[] minus = x.clone();
            for (int i = 0; i < x.length; i++) {
                plus[i] += h * v[i];
                minus[i] -= h * v[i];
            }
            double[] gp = LangevinSampler.inputGradient(net, manager.create(plus, shape)).toDoubleArray();
            double[] gm = LangevinSampler.inputGradient(net, manager.create(minus, shape)).toDoubleArray();
            double[] hv = net.hessianVector(manager.create(x, shape), manager.create(v, shape)).toDoubleArray();
            double worst = 0;
            double scale = 0;
            for (int i = 0; i < x.length; i++) {
                double fd = (gp[i] - gm[i]) / (2 * h);
                worst = Math.max(worst, Math.abs(fd - hv[i]));
                scale = Math.max(scale, Math.abs(fd));
            }
            if (activation == Activation.LEAKY_RELU) {
                assertEquals(0.0, scale, 1e-9, "grad f of a LeakyReLU net is locally constant");
                assertEquals(0.0, worst, 1e-9);
            } else {
                assertTrue(scale > 0, activation + ": the Hessian along v is zero");
                assertTrue(worst < 1e-6 * scale, activation + ": max |fd - Hv| = " + worst + " (scale " + scale + ")");
            }
        }
    }

    private static double loss(ShortRunGenerator g, NDArray z, NDArray x) {
        return g.apply(z).sub(x).square().sum().getDouble();
    }

    static double[] uniform(Rng rng, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = 2 * rng.nextDouble() - 1;
        }
        return v;
    }
}
