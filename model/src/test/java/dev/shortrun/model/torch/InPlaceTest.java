package dev.shortrun.model.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.nets.EnergyNet;
import dev.shortrun.model.nets.NetConfig;
import dev.shortrun.model.util.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InPlaceTest {
    private static final String DEPRECATION = "AutoNonVariableTypeMode";

    @BeforeAll
    static void engine() {
        Torch.configure(2);
    }

    @Test
    void overwritesALeafThatRequiresGradientsBitForBitAndRestoresRecording() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray weight = manager.zeros(new Shape(2, 3));
            weight.setRequiresGradient(true);
            float[] values = {-0.0f, Float.MIN_VALUE, 1e30f, Float.intBitsToFloat(0x7fc00123), -7.25f, 3f};
            boolean before = JniUtils.isGradMode();
            JniUtils.setGradMode(true); // as inside a training step: a recorded in-place write would be refused
            try {
                InPlace.overwrite(weight, values);
                assertTrue(JniUtils.isGradMode(), "recording is restored");
            } finally {
                JniUtils.setGradMode(before);
            }
            float[] read = weight.toFloatArray();
            for (int i = 0; i < values.length; i++) {
                assertEquals(Float.floatToRawIntBits(values[i]), Float.floatToRawIntBits(read[i]), "value " + i);
            }
            assertTrue(weight.hasGradient(), "still a trainable leaf");
        }
    }

    @Test
    void refusesValuesOfTheWrongCount() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.zeros(new Shape(2, 2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> InPlace.overwrite(a, new float[3]));
            assertTrue(e.getMessage().contains("(2, 2)") && e.getMessage().contains("3 values"), e.getMessage());
            assertArrayEquals(new float[4], a.toFloatArray(), "nothing written");
        }
    }

    /**
     * Loading a checkpoint's weights prints nothing from libtorch. The warning goes to the native stderr, so this
     * runs in a fresh JVM (libtorch warns once per process); the control run, which loads through DJL's
     * {@code NDArray.set(float[])}, shows the check would catch it.
     */
    @Test
    void loadingWeightsPrintsNoLibtorchDeprecationWarning() throws Exception {
        String loaded = runLoader("inplace");
        assertFalse(loaded.contains(DEPRECATION), "libtorch warned while loading weights:\n" + loaded);
        assertTrue(loaded.contains("loaded"), loaded);
        String control = runLoader("djl-set");
        assertTrue(control.contains(DEPRECATION), "the control no longer shows the warning:\n" + control);
    }

    private static String runLoader(String mode) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                LoadWeights.class.getName(), mode)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "loader did not finish");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** Loads a net's own weights back into it, the way a checkpoint is restored. */
    public static final class LoadWeights {
        public static void main(String[] args) {
            Torch.configure(1);
            try (NDManager manager = NDManager.newBaseManager();
                 EnergyNet net = EnergyNet.create(NetConfig.shortRun(32, 1, 4), manager, new Rng(1))) {
                LinkedHashMap<String, Tensor> weights = net.parameters().toTensors();
                if (args[0].equals("djl-set")) {
                    weights.forEach((name, t) -> net.parameters().get(name).set(t.data()));
                } else {
                    net.parameters().load(weights, "test");
                }
                System.out.println("loaded");
            }
        }
    }
}
