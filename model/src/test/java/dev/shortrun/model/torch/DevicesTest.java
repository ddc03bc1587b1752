package dev.shortrun.model.torch;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DevicesTest {
    @Test
    void theSettingTakesCpuGpuGpuNAndAutoAndNamesTheFormsOtherwise() {
        for (String ok : new String[] {"cpu", "gpu", "gpu:0", "gpu:12", "auto"}) {
            assertNull(Devices.problem(ok), ok);
        }
        for (String bad : new String[] {"GPU", "cuda", "gpu:", "gpu:-1", "gpu:x", "cpu:0", "", null}) {
            String problem = Devices.problem(bad);
            assertNotNull(problem, String.valueOf(bad));
            assertTrue(problem.contains("expected cpu, gpu (a free GPU), gpu:N"), problem);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.use("cuda:0"));
        assertTrue(e.getMessage().startsWith("device 'cuda:0' is not a device"), e.getMessage());
    }

    @Test
    void aScopeSetsTheDeviceOfTheManagersCreatedOnItsThreadAndRestoresTheOuterOne() throws Exception {
        assertEquals(Device.cpu(), Devices.current());
        try (Devices.Scope outer = Devices.use("cpu")) {
            assertEquals("cpu", outer.toString());
            try (NDManager m = Devices.newManager()) {
                assertEquals(Device.cpu(), m.getDevice());
                assertEquals(Device.cpu(), m.zeros(new ai.djl.ndarray.types.Shape(2)).getDevice());
            }
            try (Devices.Scope inner = Devices.use("auto")) {
                assertEquals(Devices.gpuCount() > 0 ? Device.gpu(0) : Device.cpu(), Devices.current());
            }
            assertEquals(Device.cpu(), Devices.current());
        }
        // another thread has its own scope: a Flink slot's run does not change its neighbour's device
        Thread other = new Thread(() -> assertEquals(Device.cpu(), Devices.current()));
        other.start();
        other.join();
    }

    /**
     * Asking for a GPU that libtorch does not see is an error saying how to get one, never a silent CPU run; where
     * one is seen (a CUDA libtorch on a GPU host), the scope is on it.
     */
    @Test
    void aGpuThatLibtorchDoesNotSeeIsAnErrorThatSaysHowToGetOne() {
        if (Devices.gpuCount() > 0) {
            try (Devices.Scope s = Devices.use("gpu:0")) {
                assertEquals(Device.gpu(0), s.device());
            }
            return;
        }
        for (String asked : new String[] {"gpu", "gpu:1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.use(asked));
            assertTrue(e.getMessage().startsWith("device " + asked + ": libtorch "), e.getMessage());
            assertTrue(e.getMessage().contains("sees no GPU"), e.getMessage());
            assertTrue(e.getMessage().contains(System.getenv("PYTORCH_LIBRARY_PATH") == null
                    ? "infra/gpu/install-libtorch.sh" : "nvidia-smi"), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        }
        assertEquals(Device.cpu(), Devices.current(), "a refused scope leaves the thread as it was");
    }

    @Test
    void theLibtorchDescriptionSaysWhichBuildRunsAndWhereItWasLoadedFrom() {
        try (NDManager m = Devices.newManager()) {
            m.zeros(new ai.djl.ndarray.types.Shape(1)); // the engine is loaded
        }
        String text = Devices.libtorch();
        assertTrue(text.startsWith("libtorch 2.7.1 ("), text);
        assertTrue(text.contains(System.getenv("PYTORCH_LIBRARY_PATH") == null ? "bundled CPU build" : "cu"), text);
        assertTrue(text.contains("loaded from /"), text);
    }
}
