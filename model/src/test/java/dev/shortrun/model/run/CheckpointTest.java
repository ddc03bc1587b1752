package dev.shortrun.model.run;

import ai.djl.ndarray.NDManager;
import dev.shortrun.model.HostileFiles;
import dev.shortrun.model.data.DataConfig;
import dev.shortrun.model.io.Safetensors;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.learning.LearnerConfig;
import dev.shortrun.model.learning.OptimizerConfig;
import dev.shortrun.model.learning.Schedule;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.nets.EnergyNet;
import dev.shortrun.model.nets.NetConfig;
import dev.shortrun.model.nets.Parameters;
import dev.shortrun.model.sampling.Initializer;
import dev.shortrun.model.sampling.LangevinConfig;
import dev.shortrun.model.torch.Torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoint files: reference parameter names and PyTorch shapes; clear errors for damaged files. */
class CheckpointTest {
    private static final int NF = 4;

    @TempDir
    static Path run;
    static Path json;

    @BeforeAll
    static void trainOneCheckpoint() {
        Torch.configure(2);
        // Real CIFAR-10 (3 channels, so C is distinguishable from the other dimensions), 2 iterations.
        DataConfig data = new DataConfig("cifar10", Runs.shared("cifar10-sample").toString(), "train", 32, 64);
        LearnerConfig learner = new LearnerConfig(8, Schedule.constant(0.03), Schedule.constant(1e-3),
                OptimizerConfig.adam(), Initializer.uniform(), 1e6);
        TrainConfig config = new TrainConfig(data, NetConfig.shortRun(32, 3, NF), LangevinConfig.shortRun(3),
                learner, 1, 2, 2, 2);
        json = Trainer.start(config, run, Runs.QUIET).lastCheckpoint();
        assertEquals(Runs.checkpoint(run, 2), json);
    }

    @Test
    void weightsUseReferenceNamesAndPyTorchShapes() throws IOException {
        Checkpoint c = Checkpoint.read(json);
        assertEquals(Checkpoint.FORMAT, c.format());
        assertEquals(2, c.iteration());
        assertEquals("iter-000002.safetensors", c.weights());
        Safetensors.Loaded loaded = Safetensors.read(json.resolveSibling(c.weights()));
        LinkedHashMap<String, long[]> expected = new LinkedHashMap<>();
        expected.put("f.0.weight", new long[] {NF, 3, 3, 3});
        expected.put("f.0.bias", new long[] {NF});
        expected.put("f.2.weight", new long[] {2 * NF, NF, 4, 4});
        expected.put("f.2.bias", new long[] {2 * NF});
        expected.put("f.4.weight", new long[] {4 * NF, 2 * NF, 4, 4});
        expected.put("f.4.bias", new long[] {4 * NF});
        expected.put("f.6.weight", new long[] {8 * NF, 4 * NF, 4, 4});
        expected.put("f.6.bias", new long[] {8 * NF});
        expected.put("f.8.weight", new long[] {1, 8 * NF, 4, 4});
        expected.put("f.8.bias", new long[] {1});
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(loaded.tensors().keySet()), "names, in order");
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            assertArrayEquals(e.getValue(), loaded.tensors().get(e.getKey()).shape(), e.getKey());
        }
        assertEquals("pt", loaded.metadata().get("format"));
        assertEquals("2", loaded.metadata().get("iteration"));

        // Adam moments: one m and one v per parameter, same shapes.
        Map<String, Tensor> optim = Safetensors.read(json.resolveSibling(c.optimizerState())).tensors();
        assertEquals(2 * expected.size(), optim.size(), "Adam state tensors " + optim.keySet());
        for (Tensor t : optim.values()) {
            assertTrue(expected.values().stream().anyMatch(s -> java.util.Arrays.equals(s, t.shape())));
        }
    }

    /**
     * The weights file starts with a fixed header: metadata sorted, tensors in reference order. Built from Map.of,
     * whose order changes per JVM, the header differed between processes writing the same checkpoint.
     */
    @Test
    void weightsHeaderIsFixed() throws IOException {
        byte[] bytes = Files.readAllBytes(json.resolveSibling(Checkpoint.read(json).weights()));
        long length = java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, Math.toIntExact(length), java.nio.charset.StandardCharsets.UTF_8);
        String start = "{\"__metadata__\":{\"format\":\"pt\",\"iteration\":\"2\"},"
                + "\"f.0.weight\":{\"dtype\":\"F32\",\"shape\":[4,3,3,3],\"data_offsets\":[0,432]},";
        assertTrue(header.startsWith(start), header);
    }

    @Test
    void loadNetRestoresTheSavedWeights() throws IOException {
        Checkpoint c = Checkpoint.read(json);
        Map<String, Tensor> saved = Safetensors.read(json.resolveSibling(c.weights())).tensors();
        try (NDManager manager = NDManager.newBaseManager(); EnergyNet net = c.loadNet(json, manager)) {
            Map<String, Tensor> loaded = net.parameters().toTensors();
            assertEquals(saved.keySet(), loaded.keySet());
            for (String name : saved.keySet()) {
                assertArrayEquals(saved.get(name).data(), loaded.get(name).data(), name);
            }
            assertEquals(1, Parameters.toTensor(net.forward(manager.zeros(new ai.djl.ndarray.types.Shape(1, 3, 32,
                    32)))).size());
        }
    }

    @Test
    void corruptJsonNamesTheFile(@TempDir Path tmp) throws IOException {
        Path bad = Files.writeString(tmp.resolve("iter-000002.json"), "{\"format\": \"shortrun-checkpoint/1\", ");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.read(bad));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());

        Path garbage = Files.writeString(tmp.resolve("garbage.json"), "this is not json at all");
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.read(garbage));
        assertTrue(e.getMessage().contains(garbage.toString()), e.getMessage());

        Path empty = Files.writeString(tmp.resolve("empty.json"), "");
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.read(empty));
        assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
    }

    @Test
    void wrongFormatNamesTheFileAndBothFormats(@TempDir Path tmp) throws IOException {
        String text = Files.readString(json);
        assertTrue(text.contains(Checkpoint.FORMAT));
        Path other = Files.writeString(tmp.resolve("iter-000002.json"),
                text.replace(Checkpoint.FORMAT, "someone-else/7"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.read(other));
        assertTrue(e.getMessage().contains(other.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("someone-else/7"), e.getMessage());
        assertTrue(e.getMessage().contains(Checkpoint.FORMAT), e.getMessage());

        Path none = Files.writeString(tmp.resolve("none.json"), "{\"iteration\": 3}");
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.read(none));
        assertTrue(e.getMessage().contains(none.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("format"), e.getMessage());
    }

    @Test
    void truncatedWeightsNameTheFile(@TempDir Path tmp) throws IOException {
        Path copy = copyRun(tmp);
        Path weights = copy.resolveSibling("iter-000002.safetensors");
        try (FileChannel ch = FileChannel.open(weights, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 100);
        }
        Checkpoint c = Checkpoint.read(copy);
        try (NDManager manager = NDManager.newBaseManager()) {
            UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> c.loadNet(copy, manager));
            assertTrue(e.getMessage().contains(weights.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
        // Resuming the damaged run fails the same way, naming the file.
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> Trainer.resume(tmp, 4, Runs.QUIET));
        assertTrue(e.getMessage().contains(weights.toString()), e.getMessage());
    }

    @Test
    void truncatedOptimizerStateNamesTheFile(@TempDir Path tmp) throws IOException {
        Path copy = copyRun(tmp);
        Path optim = copy.resolveSibling("iter-000002.optim.safetensors");
        try (FileChannel ch = FileChannel.open(optim, StandardOpenOption.WRITE)) {
            ch.truncate(5); // shorter than the 8-byte header length
        }
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> Trainer.resume(tmp, 4, Runs.QUIET));
        assertTrue(e.getMessage().contains(optim.toString()), e.getMessage());
    }

    @Test
    void nonFiniteWeightsAreRefusedNamingFileAndTensor(@TempDir Path tmp) throws IOException {
        Path copy = copyRun(tmp);
        Path weights = copy.resolveSibling("iter-000002.safetensors");
        Safetensors.Loaded loaded = Safetensors.read(weights);
        Tensor first = loaded.tensors().values().iterator().next();
        String name = loaded.tensors().keySet().iterator().next();
        first.data()[0] = Float.NaN;
        first.data()[1] = Float.POSITIVE_INFINITY;
        Safetensors.write(weights, loaded.tensors(), loaded.metadata());
        Checkpoint c = Checkpoint.read(copy);
        try (NDManager manager = NDManager.newBaseManager()) {
            // the net used to load and sample NaN pictures with exit code 0
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.loadNet(copy, manager));
            assertEquals(weights + ": tensor '" + name + "' holds 2 NaN or infinite value(s) of " + first.size()
                    + "; a checkpoint must hold finite numbers (use an earlier one)", e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.resume(tmp, 4, Runs.QUIET));
        assertTrue(e.getMessage().startsWith(weights.toString()), e.getMessage());
    }

    @Test
    void checkpointJsonOverTheLimitsIsRefusedBeforeReading(@TempDir Path tmp) throws IOException {
        // 3 GB (sparse): Files.readString used to run out of memory on it
        Path huge = HostileFiles.sparse(tmp.resolve("iter-000002.json"), "{".getBytes(), 3L << 30);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> Checkpoint.read(huge));
        assertEquals("cannot read checkpoint " + huge + ": " + huge + ": 3221225472 bytes, more than the limit of "
                + "16777216 bytes for a JSON file", e.getMessage());

        Path deep = Files.writeString(tmp.resolve("iter-000003.json"), Files.readString(json).replaceFirst("\\{",
                "{\"extra\": " + HostileFiles.nestedArrays(200_000, "") + ", "));
        e = assertThrows(UncheckedIOException.class, () -> Checkpoint.read(deep));
        assertEquals("cannot read checkpoint " + deep + ": " + deep + ": JSON nested more than 64 levels deep (the "
                + "limit)", e.getMessage());
    }

    @Test
    void resumingRemovesTempFilesThatAKilledWriteLeft(@TempDir Path tmp) throws Exception {
        Path copy = copyRun(tmp);
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path stray = Files.writeString(copy.resolveSibling(".iter-000004.json." + gone.pid() + "-17.tmp"), "{\"for");
        Trainer.resume(tmp, 3, Runs.QUIET);
        assertTrue(Files.notExists(stray), "kill -9 leftovers stay: " + stray);
    }

    /** Copies the trained run's checkpoints (and metrics) into {@code dir}; returns the copied final JSON. */
    private static Path copyRun(Path dir) throws IOException {
        Path checkpoints = Files.createDirectories(dir.resolve("checkpoints"));
        try (var files = Files.list(json.getParent())) {
            for (Path f : files.toList()) {
                Files.copy(f, checkpoints.resolve(f.getFileName()));
            }
        }
        Files.copy(run.resolve("metrics.csv"), dir.resolve("metrics.csv"));
        return checkpoints.resolve(json.getFileName());
    }
}
