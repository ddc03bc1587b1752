package dev.shortrun.model.landscape;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.data.DatasetFormats;
import dev.shortrun.model.nets.Energy;
import dev.shortrun.model.sampling.LangevinConfig;
import dev.shortrun.model.sampling.Temperature;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.model.util.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attraction-diffusion grouping and barriers on the exact 8-Gaussian energy U = -log p (the gmm toy's true density),
 * whose basins (one per mode) and saddles (on the bisectors between neighbouring modes) are known.
 */
class AttractionDiffusionTest {
    /** The gmm toy's component standard deviation (GaussianMixtureToy.SD, package-private there). */
    static final double GMM_SD = 0.15;
    /** The convergent toys' chain: step 1 on grad f, noise 0.125, so T = 0.125^2 / 2. */
    static final LangevinConfig CHAIN = LangevinConfig.anatomy(0.125, 1, 500, 500);
    static final Temperature T = Temperature.ofTraining(CHAIN);
    static final int PER_MODE = 4;

    @BeforeAll
    static void engine() {
        Torch.configure(2);
    }

    /** f = T log p for the gmm toy's density p, so that U = -f/T = -log p exactly. */
    static final class TrueGmm implements Energy {
        private final NDArray means; // (1, 8, 2)

        TrueGmm(NDManager manager) {
            float[] m = new float[16];
            for (int k = 0; k < 8; k++) {
                m[2 * k] = (float) Math.cos(2 * Math.PI * k / 8);
                m[2 * k + 1] = (float) Math.sin(2 * Math.PI * k / 8);
            }
            means = manager.create(m, new Shape(1, 8, 2));
        }

        @Override
        public NDArray forward(NDArray x) {
            double var = GMM_SD * GMM_SD;
            NDArray a = x.expandDims(1).sub(means).square().sum(new int[] {2}).mul((float) (-1 / (2 * var)));
            NDArray top = a.max(new int[] {1}, true);
            NDArray logSum = a.sub(top).exp().sum(new int[] {1}).log().add(top.squeeze(1));
            double constant = -Math.log(8 * 2 * Math.PI * var);
            return logSum.add((float) constant).mul((float) T.value());
        }
    }

    static double trueU(double x, double y) {
        return -Math.log(DatasetFormats.toy("gmm").density(x, y));
    }

    /** PER_MODE points near each mode (within 0.08), the first exactly at the mode's minimum (its centre, nearly). */
    static MetastableSamples nearTheModes(Rng rng) {
        int n = 8 * PER_MODE;
        float[][] states = new float[n][];
        double[] u = new double[n];
        for (int k = 0; k < 8; k++) {
            for (int i = 0; i < PER_MODE; i++) {
                double r = i == 0 ? 0 : 0.08 * rng.nextDouble(), phi = 2 * Math.PI * rng.nextDouble();
                float x = (float) (Math.cos(2 * Math.PI * k / 8) + r * Math.cos(phi));
                float y = (float) (Math.sin(2 * Math.PI * k / 8) + r * Math.sin(phi));
                states[k * PER_MODE + i] = new float[] {x, y};
                u[k * PER_MODE + i] = trueU(x, y);
            }
        }
        return new MetastableSamples(states, u, new long[] {2}, 0);
    }

    @Test
    void groupsByModeAndMeasuresTheSaddlesFromAbove() {
        LandscapeSettings s = LandscapeSettings.forToys();
        try (NDManager manager = NDManager.newBaseManager()) {
            Energy energy = new TrueGmm(manager);
            RandomTensors random = new RandomTensors(new Rng(7));
            MetastableSamples samples = nearTheModes(new Rng(3));
            AttractionDiffusion ad = new AttractionDiffusion(energy, T, CHAIN.stepSize(), s);
            BasinGrouping grouping = BasinGrouping.run(samples, ad, s, manager, random, null);
            assertEquals(8, grouping.minima().size(), "one basin per mode");
            for (int i = 0; i < samples.states().length; i++) {
                int b = grouping.basinOfSample()[i];
                assertEquals(i / PER_MODE, grouping.minima().get(b) / PER_MODE, "sample " + i + " joins its mode");
            }
            BarrierEstimates barriers = BarrierEstimates.run(samples, grouping.minima(), ad, s, manager, random,
                    null);
            double angle = Math.PI / 8;
            double saddle = GridLandscapeTest.minOn(r -> trueU(r * Math.cos(angle), r * Math.sin(angle)), 0.3, 1.5);
            List<Double> errors = new ArrayList<>();
            for (int[] p : barriers.pairs()) {
                int a = grouping.minima().get(p[0]) / PER_MODE, b = grouping.minima().get(p[1]) / PER_MODE;
                boolean adjacent = Math.min(Math.abs(a - b), 8 - Math.abs(a - b)) == 1;
                double e = barriers.barrier()[p[0]][p[1]];
                if (adjacent) {
                    assertTrue(Double.isFinite(e), "neighbouring modes are joined: " + a + "-" + b);
                    errors.add(e - saddle);
                } else if (Double.isFinite(e)) {
                    assertTrue(e > saddle, "a farther pair climbs higher than the ring's saddles: " + e);
                }
            }
            System.out.println("AD barrier - analytic saddle (" + saddle + "): " + errors);
            assertTrue(errors.size() >= 8, "every neighbouring pair is measured: " + errors.size());
            for (double err : errors) {
                assertTrue(err > -0.05 && err < 0.5, "barrier error " + err);
            }
            DisconnectivityTree tree = DisconnectivityTree.singleLinkage(
                    grouping.minima().stream().mapToDouble(i -> samples.energies()[i]).toArray(),
                    barriers.barrier());
            assertEquals(1, tree.components());
            for (DisconnectivityTree.Merge m : tree.merges()) {
                assertTrue(m.level() - saddle > -0.05 && m.level() - saddle < 0.5, "merge at " + m.level());
            }
        }
    }
}
