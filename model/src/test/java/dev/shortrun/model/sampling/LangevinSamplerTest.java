package dev.shortrun.model.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.nets.EnergyNet;
import dev.shortrun.model.nets.NetConfig;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.model.util.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LangevinSamplerTest {
    @BeforeAll
    static void engine() {
        Torch.configure(2);
    }

    @Test
    void sameSeedSameChainDifferentSeedDifferentChain() {
        try (NDManager manager = NDManager.newBaseManager();
             EnergyNet net = EnergyNet.create(NetConfig.shortRun(32, 1, 4), manager, new Rng(1))) {
            float[] a = chain(net, manager, 5);
            float[] b = chain(net, manager, 5);
            float[] c = chain(net, manager, 6);
            assertArrayEquals(a, b);
            assertFalse(java.util.Arrays.equals(a, c));
        }
    }

    private static float[] chain(EnergyNet net, NDManager manager, long seed) {
        RandomTensors random = new RandomTensors(new Rng(seed));
        NDArray start = Initializer.uniform().draw(manager, new Shape(4, 1, 32, 32), random);
        return new LangevinSampler(LangevinConfig.shortRun(5)).run(net, start, 5, random, true, null)
                .samples().toFloatArray();
    }

    @Test
    void reportsTheMeanPerSampleGradientNorm() {
        try (NDManager manager = NDManager.newBaseManager();
             EnergyNet net = EnergyNet.create(NetConfig.shortRun(32, 1, 4), manager, new Rng(1))) {
            NDArray x = new RandomTensors(new Rng(4)).uniform(manager, new Shape(3, 1, 32, 32), -1, 1);
            float[] grad = LangevinSampler.inputGradient(net, x.duplicate()).toFloatArray();
            double expected = 0;
            for (int i = 0; i < 3; i++) {
                double sq = 0;
                for (int j = 0; j < 1024; j++) {
                    sq += grad[i * 1024 + j] * (double) grad[i * 1024 + j];
                }
                expected += Math.sqrt(sq) / 3;
            }
            double reported = new LangevinSampler(LangevinConfig.shortRun(1))
                    .run(net, x, 1, (LangevinSampler.StepNoise) null, null).meanGradNorm();
            assertEquals(expected, reported, 1e-5 * expected);
            assertTrue(expected > 0);
        }
    }

    @Test
    void weightGradientsStayOffWhileSampling() {
        try (NDManager manager = NDManager.newBaseManager();
             EnergyNet net = EnergyNet.create(NetConfig.shortRun(32, 1, 4), manager, new Rng(1))) {
            RandomTensors random = new RandomTensors(new Rng(2));
            NDArray start = random.uniform(manager, new Shape(2, 1, 32, 32), -1, 1);
            net.parameters().requireGradients(true);
            new LangevinSampler(LangevinConfig.shortRun(3)).run(net, start, 3, random, true, null);
            for (NDArray p : net.parameters().asMap().values()) {
                assertFalse(p.hasGradient(), p.getName() + " still requires a gradient after sampling");
            }
        }
    }

    /** Each step is scoped: the number of live arrays does not grow with K. */
    @Test
    void liveArraysDoNotGrowWithChainLength() {
        try (NDManager manager = NDManager.newBaseManager();
             EnergyNet net = EnergyNet.create(NetConfig.shortRun(32, 1, 4), manager, new Rng(1))) {
            RandomTensors random = new RandomTensors(new Rng(3));
            LangevinSampler sampler = new LangevinSampler(LangevinConfig.shortRun(10));
            NDArray start = random.uniform(manager, new Shape(2, 1, 32, 32), -1, 1);
            sampler.run(net, start, 2, random, true, null).samples().close();
            int before = liveArrays(manager);
            sampler.run(net, start, 5, random, true, null).samples().close();
            int afterShort = liveArrays(manager);
            sampler.run(net, start, 50, random, true, null).samples().close();
            int afterLong = liveArrays(manager);
            assertEquals(before, afterShort, "a 5-step chain leaked arrays");
            assertEquals(before, afterLong, "a 50-step chain leaked arrays");
        }
    }

    private static int liveArrays(NDManager manager) {
        return manager.getManagedArrays().size(); // includes sub-managers' arrays
    }

    @Test
    void kIsDrawnFromTheConfiguredRange() {
        LangevinSampler sampler = new LangevinSampler(new LangevinConfig(1, 0.01, 100, 120));
        Rng rng = new Rng(9);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            int k = sampler.drawSteps(rng);
            assertTrue(k >= 100 && k <= 120, "K out of range: " + k);
            seen.add(k);
        }
        assertEquals(21, seen.size(), "every K in [100, 120] should occur");
    }

    @Test
    void gaussianNoiseHasUnitMoments() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] z = new RandomTensors(new Rng(11)).normal(manager, new Shape(200_001)).toFloatArray();
            double mean = 0;
            double var = 0;
            for (float v : z) {
                mean += v;
            }
            mean /= z.length;
            for (float v : z) {
                var += (v - mean) * (v - mean);
            }
            var /= z.length - 1;
            assertEquals(0, mean, 0.01);
            assertEquals(1, var, 0.01);
            assertEquals(200_001, z.length);
        }
    }
}
