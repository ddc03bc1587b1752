package dev.shortrun.model.run;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.TestSupport;
import dev.shortrun.model.io.Safetensors;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.learning.IterationStats;
import dev.shortrun.model.nets.Architecture;
import dev.shortrun.model.nets.EnergyNet;
import dev.shortrun.model.nets.Parameters;
import dev.shortrun.model.torch.Torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Run folders written by the code before the network and data set registries (model/src/test/resources/
 * runs-before-registries, made by commit 75e598f: a gmm toy run, 1 iteration, n_f 4, and a nonlocal32 MNIST
 * checkpoint, n_f 2): their checkpoints, where the architecture was a Gson enum ({@code "TOY"}), read, load and
 * resume, and are written back as the same JSON; their metrics.csv has the old column names.
 */
class RunsBeforeRegistriesTest {
    private static final Path OLD = TestSupport.root().resolve("model/src/test/resources/runs-before-registries");

    @BeforeAll
    static void engine() {
        Torch.configure(1);
    }

    @Test
    void checkpointJsonReadsAndIsWrittenBackByteForByte() throws IOException {
        Map<String, Architecture> runs = Map.of("toy", Architecture.TOY, "nonlocal32", Architecture.NONLOCAL32);
        for (Map.Entry<String, Architecture> run : runs.entrySet()) {
            Path json = new RunDirectory(OLD.resolve(run.getKey())).checkpointJson(1);
            String written = Files.readString(json);
            assertTrue(written.contains("\"architecture\": \"" + run.getKey().toUpperCase(Locale.ROOT) + "\""), written);
            Checkpoint c = Checkpoint.read(json);
            assertSame(run.getValue(), c.config().net().architecture());
            assertEquals(written, Checkpoint.GSON.toJson(c), "the JSON today's code writes for " + run.getKey());
        }
    }

    @Test
    void anOldNonlocalCheckpointLoadsItsWeights() throws IOException {
        Path json = new RunDirectory(OLD.resolve("nonlocal32")).checkpointJson(1);
        Map<String, Tensor> saved = Safetensors.read(json.resolveSibling("iter-000001.safetensors")).tensors();
        try (NDManager manager = NDManager.newBaseManager();
             EnergyNet net = Checkpoint.read(json).loadNet(json, manager)) {
            Map<String, Tensor> loaded = net.parameters().toTensors();
            assertEquals(List.copyOf(saved.keySet()), List.copyOf(loaded.keySet()));
            for (String name : saved.keySet()) {
                assertArrayEquals(saved.get(name).data(), loaded.get(name).data(), name);
            }
            float f = Parameters.toTensor(net.forward(manager.zeros(new Shape(2, 1, 32, 32)))).data()[0];
            assertTrue(Float.isFinite(f), "f(0) = " + f);
        }
    }

    /** Resuming keeps the old row bit for bit, under the new header, and continues under the stored settings. */
    @Test
    void anOldToyRunResumes(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("toy");
        copyTree(OLD.resolve("toy"), run);
        List<String> before = Files.readAllLines(run.resolve("metrics.csv"));
        assertTrue(before.get(0).contains(",diff,") && before.get(0).contains(",seconds,"), before.get(0));

        Trainer.Result result = Trainer.resume(run, 3, Runs.QUIET);
        assertEquals(3, result.iterations());
        List<String> after = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(IterationStats.csvHeader(), after.get(0));
        assertEquals(before.get(1), after.get(1), "the old run's row is kept as it was");
        assertEquals(4, after.size());
        Checkpoint last = Checkpoint.read(result.lastCheckpoint());
        assertSame(Architecture.TOY, last.config().net().architecture());
        assertTrue(Files.readString(result.lastCheckpoint()).contains("\"architecture\": \"TOY\""));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
