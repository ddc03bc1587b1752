package dev.shortrun.model.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.nets.Energy;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.model.util.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MALA on a known 2D Gaussian: right stationary moments, acceptance in (0, 1) that falls as eps grows. */
class MalaSamplerTest {
    private static final double[] MEAN = {0.5, -1.0};
    private static final double[] SD = {1.0, 0.5};
    private static final int CHAINS = 1000;
    private static final int STEPS = 500;
    private static final int BURN_IN = 100;

    @BeforeAll
    static void engine() {
        Torch.configure(2);
    }

    /** f(x) = -sum_d (x_d - mean_d)^2 / (2 sd_d^2): at T = 1 the density exp(f) is N(MEAN, diag(SD^2)). */
    static final class Gaussian implements Energy {
        private final NDManager manager;

        Gaussian(NDManager manager) {
            this.manager = manager;
        }

        @Override
        public NDArray forward(NDArray x) {
            NDArray mean = manager.create(new float[] {(float) MEAN[0], (float) MEAN[1]});
            NDArray precision = manager.create(new float[] {(float) (1 / (SD[0] * SD[0])), (float) (1 / (SD[1] * SD[1]))});
            return x.sub(mean).square().mul(precision).sum(new int[] {1}).mul(-0.5f);
        }
    }

    /** Mean and variance per coordinate over all chains and the steps after burn-in. */
    private record Moments(double[] mean, double[] var) {
    }

    private static final class MomentCollector implements LangevinSampler.StepListener {
        final double[] sum = new double[2];
        final double[] sumSq = new double[2];
        long count;

        @Override
        public void onStep(int k, NDArray x) {
            if (k <= BURN_IN) {
                return;
            }
            float[] v = x.toFloatArray();
            for (int i = 0; i < v.length; i++) {
                sum[i % 2] += v[i];
                sumSq[i % 2] += (double) v[i] * v[i];
            }
            count += v.length / 2;
        }

        Moments moments() {
            double[] m = new double[2];
            double[] var = new double[2];
            for (int d = 0; d < 2; d++) {
                m[d] = sum[d] / count;
                var[d] = sumSq[d] / count - m[d] * m[d];
            }
            return new Moments(m, var);
        }
    }

    private static NDArray start(NDManager manager, RandomTensors random) {
        return random.normal(manager, new Shape(CHAINS, 2)).muli(2f); // overdispersed: burn-in has work to do
    }

    private static Moments mala(double eps, long seed) {
        try (NDManager manager = NDManager.newBaseManager()) {
            RandomTensors random = new RandomTensors(new Rng(seed));
            MomentCollector moments = new MomentCollector();
            new MalaSampler(eps, new Temperature(1.0)).run(new Gaussian(manager), start(manager, random), STEPS,
                    random, moments);
            return moments.moments();
        }
    }

    @Test
    void stationaryMeanAndVarianceMatchTheGaussian() {
        Moments m = mala(0.6, 11);
        for (int d = 0; d < 2; d++) {
            assertEquals(MEAN[d], m.mean()[d], 0.03, "mean of coordinate " + d);
            assertEquals(1.0, m.var()[d] / (SD[d] * SD[d]), 0.05, "variance / true variance of coordinate " + d);
        }
    }

    /**
     * At eps = 0.5 unadjusted Langevin on N(mu, s^2) has the known biased variance eps^2 / (1 - (1 - h)^2), with
     * h = eps^2 / (2 s^2): 1/3 instead of 1/4 along the narrow axis. The Metropolis correction removes the bias.
     */
    @Test
    void metropolisCorrectionRemovesTheBiasOfPlainLangevin() {
        double eps = 0.5;
        Moments plain;
        try (NDManager manager = NDManager.newBaseManager()) {
            RandomTensors random = new RandomTensors(new Rng(5));
            MomentCollector moments = new MomentCollector();
            LangevinConfig config = new Temperature(1.0).langevinAt(eps, STEPS);
            new LangevinSampler(config).run(new Gaussian(manager), start(manager, random), STEPS, random, true,
                    moments);
            plain = moments.moments();
        }
        Moments adjusted = mala(eps, 5);
        for (int d = 0; d < 2; d++) {
            double h = eps * eps / (2 * SD[d] * SD[d]);
            double biased = eps * eps / (1 - (1 - h) * (1 - h));
            assertEquals(1.0, plain.var()[d] / biased, 0.05, "plain Langevin variance vs its analytic value, d=" + d);
            assertEquals(1.0, adjusted.var()[d] / (SD[d] * SD[d]), 0.05, "MALA variance vs the true one, d=" + d);
        }
        assertTrue(plain.var()[1] > 1.25 * SD[1] * SD[1], "the narrow axis is visibly biased without MH");
    }

    @Test
    void acceptanceIsAProperFractionThatFallsAsEpsGrows() {
        double previous = 1.0;
        for (double eps : new double[] {0.2, 0.7, 1.4}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                RandomTensors random = new RandomTensors(new Rng(3));
                MalaSampler.Chain chain = new MalaSampler(eps, new Temperature(1.0))
                        .run(new Gaussian(manager), start(manager, random), 100, random, null);
                double rate = chain.acceptanceRate();
                assertTrue(rate > 0 && rate < 1, "acceptance at eps=" + eps + " is " + rate);
                assertTrue(rate < previous, "acceptance at eps=" + eps + " (" + rate + ") should be below "
                        + previous);
                previous = rate;
            }
        }
    }

    @Test
    void temperatureOfTheTrainingChainMatchesThePapersScaledEnergy() {
        // seed code: s = 1, n = 0.01  ->  U = -f / (eps^2 / 2)
        Temperature t = Temperature.ofTraining(LangevinConfig.shortRun(100));
        assertEquals(0.01 * 0.01 / 2, t.value(), 1e-15);
        // plain Langevin at the training eps reproduces the training step exactly
        LangevinConfig again = t.langevinAt(0.01, 100);
        assertEquals(1.0, again.stepSize(), 1e-12);
        assertEquals(0.01, again.noiseStd(), 1e-15);
        // without noise there is no temperature: U = -f
        assertEquals(1.0, Temperature.ofTraining(new LangevinConfig(1.0, 0.0, 10, 10)).value());
    }
}
