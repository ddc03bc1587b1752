package dev.shortrun.model.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.TestSupport;
import dev.shortrun.model.io.Npy;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.nets.EnergyNet;
import dev.shortrun.model.nets.NetConfig;
import dev.shortrun.model.nets.Parameters;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.model.util.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MalaSampler's acceptance ratio (explicit forward and backward proposal densities) against the Anatomy reference
 * evaluation's momentum form (infra/reference/mala_step.py, PyTorch in float64) on the same 32x32 net, states and
 * noise, at the seed code's training temperature.
 */
class MalaConformanceTest {
    @Test
    void logAcceptanceMatchesTheReferenceEvaluation(@TempDir Path dir) throws Exception {
        Torch.configure(1);
        NetConfig config = NetConfig.shortRun(32, 1, 4);
        Temperature temperature = Temperature.ofTraining(LangevinConfig.shortRun(100)); // T = 5e-5
        double eps = 0.05; // large enough that the MH test both accepts and rejects proposals
        try (NDManager manager = NDManager.newBaseManager();
             EnergyNet net = EnergyNet.create(config, manager, new Rng(3))) {
            RandomTensors random = new RandomTensors(new Rng(4));
            NDArray x = random.uniform(manager, new Shape(6, 1, 32, 32), -1, 1);
            NDArray z = random.normal(manager, x.getShape());
            for (Map.Entry<String, NDArray> p : net.parameters().asMap().entrySet()) {
                Npy.write(dir.resolve("param_" + p.getKey() + ".npy"), Parameters.toTensor(p.getValue()));
            }
            Npy.write(dir.resolve("x.npy"), Parameters.toTensor(x));
            Npy.write(dir.resolve("z.npy"), Parameters.toTensor(z));
            Files.writeString(dir.resolve("config.json"), String.format(Locale.ROOT, "{\"arch\": \"conv32\", "
                    + "\"channels\": 1, \"n_f\": 4, \"activation\": \"leaky_relu\", \"slope\": 0.2, \"eps\": %s, "
                    + "\"temperature\": %s}", eps, temperature.value()));
            Path script = TestSupport.root().resolve("infra/reference/mala_step.py");
            Process p = new ProcessBuilder(TestSupport.python(), script.toString(), dir.toString())
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), "PyTorch reference failed (is python3-torch installed?):\n" + output);

            float[] mine = new MalaSampler(eps, temperature).logAcceptance(net, x, z).toFloatArray();
            Tensor reference = Npy.read(dir.resolve("out_log_ratio.npy"));
            boolean someAccepted = false;
            boolean someRejected = false;
            for (int i = 0; i < mine.length; i++) {
                double ref = reference.data()[i];
                // float32 energies of size |f|/T ~ 1e3 carry ~1e-4 absolute rounding; the ratios here are O(1)
                assertEquals(ref, mine[i], 2e-3 + 1e-3 * Math.abs(ref), "log ratio of chain " + i);
                someAccepted |= ref > Math.log(0.5);
                someRejected |= ref < Math.log(0.5);
            }
            assertTrue(someAccepted && someRejected, "the check covers both likely and unlikely proposals: "
                    + java.util.Arrays.toString(reference.data()));
        }
    }
}
