package dev.shortrun.model.generator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.nets.Activation;
import dev.shortrun.model.nets.Architecture;
import dev.shortrun.model.nets.EnergyNet;
import dev.shortrun.model.nets.NetConfig;
import dev.shortrun.model.sampling.LangevinConfig;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.model.util.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reconstruction step-size rules on small random nets: constant is plain gradient descent; backtracking never
 * raises an example's loss, and what it returns is consistent (M of the returned z is the returned reconstruction).
 */
class DescentRuleTest {
    private static final int K = 4;
    private static final Shape SHAPE = new Shape(4, 1, 32, 32);

    @BeforeAll
    static void engine() {
        Torch.configure(1);
    }

    @Test
    void constantRuleIsPlainGradientDescent() {
        Rng rng = new Rng(21);
        try (NDManager manager = NDManager.newBaseManager();
             EnergyNet net = EnergyNet.create(new NetConfig(Architecture.CONV32, 1, 4, Activation.GELU, 0.2),
                     manager, rng)) {
            ShortRunGenerator g = new ShortRunGenerator(net, new LangevinConfig(30.0, 0.01, K, K), K);
            RandomTensors random = new RandomTensors(rng);
            NDArray z0 = random.uniform(manager, SHAPE, -1, 1);
            NDArray x = random.uniform(manager, SHAPE, -1, 1);
            Reconstruction constant = new Reconstruction(g, DescentRule.constant(0.3), null);
            NDArray expected = z0.sub(constant.lossAndGradient(z0, x)[1].mul(0.3f));
            Reconstruction.Result one = constant.run(z0, x, 1, null);
            assertClose(expected, one.z(), "z_1 = z_0 - lr dL/dz");
            assertClose(g.apply(expected), one.reconstruction(), "M(z_1)");
            assertEquals(1.0, one.keptFraction());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"LEAKY_RELU", "GELU"})
    void backtrackingNeverRaisesAnExamplesLoss(Activation activation) {
        Rng rng = new Rng(22);
        try (NDManager manager = NDManager.newBaseManager();
             EnergyNet net = EnergyNet.create(new NetConfig(Architecture.CONV32, 1, 4, activation, 0.2), manager,
                     rng)) {
            ShortRunGenerator g = new ShortRunGenerator(net, new LangevinConfig(30.0, 0.01, K, K), K);
            RandomTensors random = new RandomTensors(rng);
            NDArray z0 = random.uniform(manager, SHAPE, -1, 1);
            NDArray x = random.uniform(manager, SHAPE, -1, 1);
            List<float[]> losses = new ArrayList<>();
            // a first step of 4 overshoots everywhere: the rule must reject and halve before it can descend
            Reconstruction.Result r = new Reconstruction(g, new DescentRule(DescentRule.Kind.BACKTRACKING, 4.0, 1.5),
                    null).run(z0, x, 12, (t, out, loss) -> losses.add(loss.toFloatArray()));
            assertEquals(13, losses.size(), "t = 0..12");
            for (int t = 1; t < losses.size(); t++) {
                for (int i = 0; i < losses.get(t).length; i++) {
                    assertTrue(losses.get(t)[i] <= losses.get(t - 1)[i], activation + ": example " + i + " rose at step "
                            + t + ": " + losses.get(t - 1)[i] + " -> " + losses.get(t)[i]);
                }
            }
            for (int i = 0; i < SHAPE.get(0); i++) {
                assertTrue(losses.get(12)[i] < 0.5 * losses.get(0)[i], activation + ": example " + i
                        + " barely descended: " + losses.get(0)[i] + " -> " + losses.get(12)[i]);
            }
            assertTrue(r.keptFraction() > 0 && r.keptFraction() < 1, "some trials rejected, some kept: "
                    + r.keptFraction());
            assertArrayEquals(losses.get(12), r.loss().toFloatArray(), "the result is the last step seen");
            assertClose(g.apply(r.z()), r.reconstruction(), activation + ": M(z_T) is the returned reconstruction");
        }
    }

    @Test
    void settingsAreChecked() {
        assertEquals(DescentRule.Kind.BACKTRACKING, DescentRule.defaults().kind());
        assertEquals(DescentRule.Kind.CONSTANT, DescentRule.parseKind(" Constant "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DescentRule.parseKind("adam"));
        assertTrue(e.getMessage().contains("'adam'") && e.getMessage().contains("constant, backtracking"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new DescentRule(DescentRule.Kind.BACKTRACKING, 0.5, 0.9));
        assertTrue(e.getMessage().contains("growth") && e.getMessage().contains("0.9"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DescentRule.constant(-1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertEquals("constant lr 0.5", DescentRule.constant(0.5).describe());
        assertEquals("backtracking lr 0.25 growth 2.0",
                new DescentRule(DescentRule.Kind.BACKTRACKING, 0.25, 2.0).describe());
    }

    private static void assertClose(NDArray expected, NDArray actual, String what) {
        float diff = expected.sub(actual).abs().max().getFloat();
        assertTrue(diff < 1e-5, what + ": max |diff| " + diff);
    }
}
