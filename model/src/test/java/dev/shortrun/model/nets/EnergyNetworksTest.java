package dev.shortrun.model.nets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import dev.shortrun.model.TestSupport;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.model.util.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The network registry: every registered network builds, runs f and grad f, and round-trips through JSON. */
class EnergyNetworksTest {
    @BeforeAll
    static void engine() {
        Torch.configure(2);
    }

    static List<Architecture> registered() {
        return EnergyNetworks.all();
    }

    /** f has shape (N) and its autograd input gradient matches central differences (float64). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("registered")
    void everyNetworkRunsForwardAndGradient(Architecture a) {
        NetConfig config = new NetConfig(a, a.takesPoints() ? 2 : 1, 2, Activation.LEAKY_RELU, 0.2);
        Rng rng = new Rng(11);
        try (NDManager manager = NDManager.newBaseManager(); EnergyNet net = EnergyNet.create(config, manager, rng)) {
            assertTrue(net.parameters().count() > 0, a + " has no parameters");
            assertTrue(EnergyNet.macsPerExample(config) > 0, a + " counts no multiply-adds");
            net.parameters().castTo(DataType.FLOAT64);
            Shape shape = a.takesPoints() ? new Shape(3, 2) : new Shape(3, 1, a.imageSize(), a.imageSize());
            double[] x = new double[Math.toIntExact(shape.size())];
            for (int i = 0; i < x.length; i++) {
                x[i] = 2 * rng.nextDouble() - 1;
            }
            NDArray f = net.forward(manager.create(x, shape));
            assertArrayEquals(new long[] {3}, f.getShape().getShape(), a + ": f(x) shape");
            double[] grad = net.inputGradient(manager.create(x, shape)).toDoubleArray();
            assertEquals(x.length, grad.length);
            InputGradientTest.assertMatchesDifferences(a.name(), net, manager, x, shape, grad, rng, 12);
        }
    }

    /** In JSON a network is its upper-case name, as the enum was; either case reads back to the same instance. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("registered")
    void jsonIsTheUpperCaseName(Architecture a) {
        NetConfig config = new NetConfig(a, a.takesPoints() ? 2 : 3, 4, Activation.GELU, 0.2);
        String json = new Gson().toJson(config);
        assertTrue(json.startsWith("{\"architecture\":\"" + a.name().toUpperCase(Locale.ROOT) + "\","), json);
        assertEquals(config, new Gson().fromJson(json, NetConfig.class));
        assertSame(a, new Gson().fromJson(json.replace(a.name().toUpperCase(Locale.ROOT), a.name()),
                NetConfig.class).architecture());
    }

    @Test
    void namesDescriptionsAndLookups() {
        // the papers' networks first, in this order; a network added later comes after them
        assertEquals(List.of("conv32", "conv64", "conv128", "toy", "nonlocal32"),
                EnergyNetworks.names().subList(0, 5));
        assertEquals(EnergyNetworks.names(), List.copyOf(EnergyNetworks.descriptions().keySet()));
        EnergyNetworks.descriptions().forEach((name, line) -> assertFalse(line.isBlank(), name));
        assertSame(Architecture.CONV64, EnergyNetworks.get("conv64"));
        assertSame(Architecture.CONV64, EnergyNetworks.get("CONV64"));
        assertTrue(EnergyNetworks.imageSizes().containsAll(List.of(32, 64, 128)), "" + EnergyNetworks.imageSizes());
        assertEquals(EnergyNetworks.imageSizes().stream().sorted().toList(), EnergyNetworks.imageSizes());
        assertSame(Architecture.CONV32, EnergyNetworks.defaultFor(false, 32), "the first registered 32x32 net");
        assertSame(Architecture.CONV128, EnergyNetworks.defaultFor(false, 128));
        assertSame(Architecture.TOY, EnergyNetworks.defaultFor(true, 1));
        assertEquals(List.of("CONV32", "CONV64", "CONV128", "TOY", "NONLOCAL32"), List.of(Architecture.CONV32,
                Architecture.CONV64, Architecture.CONV128, Architecture.TOY, Architecture.NONLOCAL32).stream()
                .map(Object::toString).toList(), "printed as the enum constants were");
    }

    /** The README's table is the registry: every network with its one-line description. */
    @Test
    void theReadmeListsEveryNetwork() {
        TestSupport.assertReadmeTableRows(EnergyNetworks.descriptions());
    }

    @Test
    void unknownNamesAndMisfitsSayWhatIsAllowed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EnergyNetworks.get("resnet"));
        assertEquals("unknown architecture 'resnet' (registered: " + String.join(", ", EnergyNetworks.names()) + ")",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EnergyNetworks.defaultFor(false, 48));
        assertTrue(e.getMessage().startsWith("no energy network for image size 48 (allowed: 32, 64, 128"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new NetConfig(Architecture.TOY, 3, 4, Activation.LEAKY_RELU, 0.05));
        assertEquals("the toy network takes 2 channels (x, y), got 3", e.getMessage());
        JsonParseException json = assertThrows(JsonParseException.class, () -> new Gson().fromJson(
                "{\"architecture\":\"RESNET\",\"channels\":1,\"nf\":4,\"activation\":\"GELU\",\"slope\":0.2}",
                NetConfig.class));
        assertTrue(json.getMessage().contains("unknown architecture 'RESNET' (registered: conv32"), json.getMessage());
    }

    /** Networks without a tangent rule refuse Hessian-vector products with a message naming them. */
    @Test
    void nonlocalRefusesHessianVectorProducts() {
        NetConfig config = new NetConfig(Architecture.NONLOCAL32, 1, 2, Activation.GELU, 0.2);
        try (NDManager manager = NDManager.newBaseManager();
             EnergyNet net = EnergyNet.create(config, manager, new Rng(1))) {
            NDArray x = manager.zeros(new Shape(1, 1, 32, 32));
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> net.hessianVector(x, x));
            assertTrue(e.getMessage().contains("nonlocal32"), e.getMessage());
        }
    }
}
