package dev.shortrun.model.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.nets.Energy;
import dev.shortrun.model.nets.EnergyNet;
import dev.shortrun.model.nets.NetConfig;
import dev.shortrun.model.sampling.LangevinConfig;
import dev.shortrun.model.sampling.LangevinSampler;
import dev.shortrun.model.util.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChannelsLastTest {
    @BeforeAll
    static void engine() {
        Torch.configure(2);
    }

    @Test
    void aChannelsLastCopyHasTheSameShapeAndValuesAndGoesBackBitForBit() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.arange(2f * 3 * 4 * 5).reshape(2, 3, 4, 5);
            float[] before = x.toFloatArray();
            NDArray cl = ChannelsLast.copyOf(x);
            assertEquals(x.getShape(), cl.getShape());
            assertArrayEquals(before, cl.toFloatArray(), "reads follow the logical (N, C, H, W) order");
            assertEquals(67f, cl.get(1, 0, 1, 2).getFloat(), "indexing is logical: 1*60 + 0*20 + 1*5 + 2");
            assertArrayEquals(before, ChannelsLast.toDefaultLayout(cl).toFloatArray());
            cl.addi(1f);
            assertArrayEquals(before, x.toFloatArray(), "a copy, not a view of the start");
        }
    }

    @Test
    void aOneChannelCopyIsStillACopy() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // one channel: both layouts are the same memory order, so a flattened permutation would be a view
            NDArray x = manager.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, new Shape(2, 1, 2, 2));
            NDArray cl = ChannelsLast.copyOf(x);
            x.addi(100f);
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, cl.toFloatArray());
            NDArray again = ChannelsLast.copyOf(cl);
            cl.addi(100f);
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, again.toFloatArray(), "nor of a channels-last one");
        }
    }

    @Test
    void theCopyReallyIsChannelsLastInMemory() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.zeros(new Shape(2, 3, 4, 4));
            assertTrue(aliasesWhenFlattened(x), "a contiguous array flattens to a view of itself");
            NDArray cl = ChannelsLast.copyOf(x);
            assertFalse(aliasesWhenFlattened(cl), "a channels-last array cannot be flattened without a copy");
            assertTrue(aliasesWhenFlattened(ChannelsLast.toDefaultLayout(cl)));
        }
    }

    @Test
    void pointsAreCopiedAsTheyAre() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray points = manager.zeros(new Shape(5, 2));
            NDArray copy = ChannelsLast.copyOf(points);
            assertTrue(aliasesWhenFlattened(copy));
            copy.addi(1f);
            assertEquals(0f, points.sum().getFloat());
        }
    }

    @Test
    void imageChainsRunChannelsLastAndReturnTheDefaultLayout() {
        try (NDManager manager = NDManager.newBaseManager();
             // 3 channels: a 1-channel batch is contiguous in both layouts, so flattening could not tell them apart
             EnergyNet net = EnergyNet.create(NetConfig.shortRun(32, 3, 4), manager, new Rng(1))) {
            RandomTensors random = new RandomTensors(new Rng(2));
            NDArray start = random.uniform(manager, new Shape(3, 3, 32, 32), -1, 1);
            List<Boolean> stateAliases = new ArrayList<>();
            NDArray samples = new LangevinSampler(LangevinConfig.shortRun(3)).run(net, start, 3, random, true,
                    (k, x) -> stateAliases.add(aliasesWhenFlattened(x.duplicate()))).samples();
            assertEquals(List.of(false, false, false), stateAliases, "every step's state stays channels-last");
            assertTrue(aliasesWhenFlattened(samples));
        }
    }

    @Test
    void aLearnedNetsChainClimbsChannelsLastWeightCopiesFreedWithTheChain() {
        try (NDManager manager = NDManager.newBaseManager();
             EnergyNet net = EnergyNet.create(NetConfig.shortRun(32, 3, 4), manager, new Rng(1))) {
            NDArray weight = net.parameters().get("f.2.weight");
            float[] values = weight.toFloatArray();
            NDArray x = new RandomTensors(new Rng(2)).uniform(manager, new Shape(2, 3, 32, 32), -1, 1);
            NDArray copyWeight;
            try (NDManager chain = manager.newSubManager()) {
                Energy energy = net.forChain(chain);
                assertTrue(energy instanceof EnergyNet && energy != net, "a copy of the net, not the net");
                copyWeight = ((EnergyNet) energy).parameters().get("f.2.weight");
                assertFalse(aliasesWhenFlattened(copyWeight.duplicate()), "the chain's weights are channels-last");
                assertArrayEquals(values, copyWeight.toFloatArray());
                assertFalse(copyWeight.hasGradient() || weight.hasGradient(), "no weight gradients while sampling");
                assertArrayEquals(net.forward(x).toFloatArray(), energy.forward(x).toFloatArray(), 1e-6f);
            }
            assertTrue(copyWeight.isReleased(), "the copies are freed with the chain");
            assertTrue(aliasesWhenFlattened(weight.duplicate()), "the net's own weights keep the default layout");
            assertArrayEquals(values, weight.toFloatArray());
        }
    }

    @Test
    void aToyNetIsItsOwnChainEnergy() {
        try (NDManager manager = NDManager.newBaseManager();
             EnergyNet toy = EnergyNet.create(NetConfig.toy(), manager, new Rng(1));
             NDManager chain = manager.newSubManager()) {
            assertSame(toy, toy.forChain(chain), "1x1 weights are the same memory in both layouts");
        }
    }

    /** Whether {@code x.reshape(-1)} shares x's memory, i.e. whether x is contiguous (x is changed when it is). */
    private static boolean aliasesWhenFlattened(NDArray x) {
        float first = x.reshape(-1).get(0).getFloat();
        NDArray flat = x.reshape(-1);
        flat.set(new NDIndex(0), first + 1f);
        return x.reshape(-1).get(0).getFloat() != first;
    }
}
