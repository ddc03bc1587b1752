package dev.shortrun.model.run;

import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.learning.IterationMetrics;
import dev.shortrun.model.learning.IterationStats;
import dev.shortrun.model.learning.OptimizerConfig;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.torch.Torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** N + N iterations (stop, resume) must equal 2N uninterrupted, bit for bit: weights, Adam moments, metrics. */
class ResumeTest {
    private static final int N = 2;

    @BeforeAll
    static void engine() {
        Torch.configure(2);
    }

    @Test
    void mnistResumeIsBitIdenticalToUninterrupted(@TempDir Path tmp) throws IOException {
        TrainConfig config = Runs.mnist(512, 4, 3, 2 * N, N, 1e-3);
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Trainer.Result whole = Trainer.start(config, a, Runs.QUIET);
        assertEquals(2 * N, whole.iterations());
        assertEquals(Runs.checkpoint(a, 2 * N), whole.lastCheckpoint());

        Trainer.start(config.withIterations(N), b, Runs.QUIET);
        assertEquals(N, Runs.metricsRows(b).size(), "first segment rows");
        long[] resumedAt = {-1};
        Trainer.Result resumed = Trainer.resume(b, 2 * N, new Trainer.Listener() {
            @Override
            public void onStart(TrainConfig c, long completed) {
                resumedAt[0] = completed;
                assertEquals(2 * N, c.iterations(), "resume must use the new total");
            }
        });
        assertEquals(N, resumedAt[0], "resume must continue after the newest checkpoint");
        assertEquals(2 * N, resumed.iterations());

        assertSameRun(a, b, 2 * N);
        // The test is only meaningful if training moved the weights between the two checkpoints.
        assertWeightsDiffer(Runs.checkpoint(a, N), Runs.checkpoint(a, 2 * N));
        assertTrue(Files.isRegularFile(b.resolve("training.png")));
        assertTrue(Files.isRegularFile(b.resolve("samples").resolve(RunDirectory.iterName(2 * N) + ".png")));
    }

    @Test
    void mnistCrashAfterCheckpointDropsUncheckpointedRowsAndResumesExactly(@TempDir Path tmp) throws IOException {
        TrainConfig config = Runs.mnist(512, 4, 3, 2 * N, N, 1e-3);
        Path a = tmp.resolve("a");
        Path c = tmp.resolve("crashed");
        Trainer.start(config, a, Runs.QUIET);

        RuntimeException crash = assertThrows(RuntimeException.class, () -> Trainer.start(config, c,
                new Trainer.Listener() {
                    @Override
                    public void onIteration(IterationStats stats) {
                        if (stats.iteration() == N + 1) {
                            throw new RuntimeException("simulated crash");
                        }
                    }
                }));
        assertEquals("simulated crash", crash.getMessage());
        assertEquals(Runs.checkpoint(c, N), new RunDirectory(c).newestCheckpoint().orElseThrow());
        List<String[]> before = Runs.metricsRows(c);
        assertEquals(N + 1, before.size(), "rows of the interrupted segment reach the crash");

        Trainer.resume(c, 0, Runs.QUIET); // 0 keeps the stored total 2N
        assertSameRun(a, c, 2 * N);
    }

    @Test
    void toyResumeIsBitIdenticalToUninterrupted(@TempDir Path tmp) throws IOException {
        TrainConfig config = Runs.gmm(5, 5, 2 * 4, 4, OptimizerConfig.adam(), 1e-3, 1e6);
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Trainer.start(config, a, Runs.QUIET);
        Trainer.start(config.withIterations(4), b, Runs.QUIET);
        Trainer.resume(b, 8, Runs.QUIET);
        assertSameRun(a, b, 8);
        assertWeightsDiffer(Runs.checkpoint(a, 4), Runs.checkpoint(a, 8));
    }

    @Test
    void randomKResumeIsBitIdenticalToUninterrupted(@TempDir Path tmp) throws IOException {
        TrainConfig config = Runs.gmm(1, 6, 8, 4, OptimizerConfig.adam(), 1e-3, 1e6);
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Trainer.start(config, a, Runs.QUIET);
        Trainer.start(config.withIterations(4), b, Runs.QUIET);
        Trainer.resume(b, 8, Runs.QUIET);
        assertSameRun(a, b, 8);

        Set<Integer> ks = new TreeSet<>();
        for (String[] row : Runs.metricsRows(a)) {
            int k = Integer.parseInt(row[5]);
            assertTrue(k >= 1 && k <= 6, "K " + k + " outside [1, 6]");
            ks.add(k);
        }
        assertTrue(ks.size() > 1, "K must actually vary over the run, got " + ks);
        Set<Integer> ksAfterResume = new TreeSet<>();
        for (String[] row : Runs.metricsRows(b).subList(4, 8)) {
            ksAfterResume.add(Integer.parseInt(row[5]));
        }
        assertTrue(ksAfterResume.size() > 1, "K must vary after the resume too, got " + ksAfterResume);
    }

    @Test
    void startRefusesADirectoryThatHoldsARun(@TempDir Path tmp) throws IOException {
        TrainConfig config = Runs.gmm(2, 2, 2, 1, OptimizerConfig.adam(), 1e-3, 1e6);
        Trainer.start(config, tmp, Runs.QUIET);
        byte[] metricsBefore = Files.readAllBytes(tmp.resolve("metrics.csv"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Trainer.start(config, tmp, Runs.QUIET));
        assertTrue(e.getMessage().contains("--resume"), e.getMessage());
        assertTrue(e.getMessage().contains(tmp.toString()), e.getMessage());
        assertArrayEquals(metricsBefore, Files.readAllBytes(tmp.resolve("metrics.csv")),
                "a refused start must leave the existing run untouched");
    }

    @Test
    void resumeOfAnEmptyDirectoryFails(@TempDir Path tmp) throws IOException {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Trainer.resume(tmp, 10, Runs.QUIET));
        assertTrue(e.getMessage().startsWith("nothing to resume"), e.getMessage());
        assertTrue(e.getMessage().contains(tmp.toString()), e.getMessage());
        Files.createDirectories(tmp.resolve("checkpoints"));
        e = assertThrows(IllegalStateException.class, () -> Trainer.resume(tmp, 10, Runs.QUIET));
        assertTrue(e.getMessage().startsWith("nothing to resume"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("metrics.csv")), "a failed resume must not create files");
    }

    /** Final weights, Adam state, checkpoint JSON state and metrics rows (except seconds) are identical. */
    static void assertSameRun(Path expectedDir, Path actualDir, long total) throws IOException {
        Path expectedJson = Runs.checkpoint(expectedDir, total);
        Path actualJson = Runs.checkpoint(actualDir, total);
        assertEquals(expectedJson.getFileName(),
                new RunDirectory(actualDir).newestCheckpoint().orElseThrow().getFileName());
        Checkpoint e = Checkpoint.read(expectedJson);
        Checkpoint r = Checkpoint.read(actualJson);
        assertEquals(e.iteration(), r.iteration());
        assertEquals(e.optimizerSteps(), r.optimizerSteps(), "optimizer step count");
        assertEquals(total, r.optimizerSteps(), "optimizer step count");
        assertEquals(e.rngState(), r.rngState(), "RNG state");
        assertEquals(e.dataFingerprint(), r.dataFingerprint());

        assertTensorsBitIdentical(expectedJson.resolveSibling(e.weights()), actualJson.resolveSibling(r.weights()));
        // SGD has no state: then both files must be empty alike
        assertTensorsBitIdentical(expectedJson.resolveSibling(e.optimizerState()),
                actualJson.resolveSibling(r.optimizerState()), !"SGD".equals(e.optimizer()));

        List<String[]> want = Runs.metricsRows(expectedDir);
        List<String[]> got = Runs.metricsRows(actualDir);
        assertEquals(total, want.size(), "uninterrupted rows");
        assertEquals(want.size(), got.size(), "rows after resume");
        int seconds = Arrays.asList(IterationStats.csvHeader().split(","))
                .indexOf(IterationMetrics.SECONDS_PER_ITERATION.name());
        for (int i = 0; i < want.size(); i++) {
            String[] w = want.get(i).clone();
            String[] g = got.get(i).clone();
            assertEquals(Long.toString(i + 1), g[0], "row " + i + " iteration");
            w[seconds] = "";
            g[seconds] = "";
            assertArrayEquals(w, g, "metrics row " + (i + 1));
        }
    }

    static void assertTensorsBitIdentical(Path expected, Path actual) throws IOException {
        assertTensorsBitIdentical(expected, actual, true);
    }

    static void assertTensorsBitIdentical(Path expected, Path actual, boolean nonEmpty) throws IOException {
        LinkedHashMap<String, Tensor> want = Runs.tensors(expected);
        LinkedHashMap<String, Tensor> got = Runs.tensors(actual);
        assertEquals(nonEmpty, !want.isEmpty(), expected + (nonEmpty ? " holds no tensors" : " holds tensors"));
        assertEquals(List.copyOf(want.keySet()), List.copyOf(got.keySet()), "tensor names of " + actual);
        for (Map.Entry<String, Tensor> t : want.entrySet()) {
            Tensor g = got.get(t.getKey());
            assertArrayEquals(t.getValue().shape(), g.shape(), t.getKey() + " shape");
            assertTrue(Arrays.equals(t.getValue().data(), g.data()), t.getKey() + " differs between "
                    + expected + " and " + actual);
        }
    }

    private static void assertWeightsDiffer(Path jsonA, Path jsonB) throws IOException {
        Checkpoint a = Checkpoint.read(jsonA);
        Checkpoint b = Checkpoint.read(jsonB);
        LinkedHashMap<String, Tensor> wa = Runs.tensors(jsonA.resolveSibling(a.weights()));
        LinkedHashMap<String, Tensor> wb = Runs.tensors(jsonB.resolveSibling(b.weights()));
        boolean anyDiffers = wa.keySet().stream().anyMatch(k -> !Arrays.equals(wa.get(k).data(), wb.get(k).data()));
        assertTrue(anyDiffers, "training did not change the weights between " + jsonA + " and " + jsonB);
    }
}
