package dev.shortrun.model.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.data.DatasetFormats;
import dev.shortrun.model.data.ToySource;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.sampling.ChainStarts;
import dev.shortrun.model.sampling.Initializer;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.model.util.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The persistent bank: drawn rows start the chains, their ends go back in place, and it survives a resume. */
class PersistentChainsTest {
    @BeforeAll
    static void engine() {
        Torch.configure(1);
    }

    @Test
    void drawnRowsStartTheChainsAndOnlyThoseRowsAreOverwritten() {
        int bankSize = 12;
        int m = 5;
        ChainStarts starts = new ChainStarts(Initializer.persistent(bankSize), new ToySource(DatasetFormats.toy("gmm")),
                m);
        Rng rng = new Rng(7);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray start = starts.start(manager, m, 0.0, rng, new RandomTensors(rng));
            assertArrayEquals(new long[] {m, 2}, start.getShape().getShape());
            float[] before = starts.bank().data().clone();
            assertEquals(bankSize * 2, before.length);
            for (float v : before) {
                assertTrue(v >= -1 && v < 1, "a new bank is Uniform[-1, 1] noise, found " + v);
            }
            // Which rows were drawn: each start row must be some bank row, all distinct.
            float[] x = start.toFloatArray();
            Set<Integer> rows = new HashSet<>();
            for (int i = 0; i < m; i++) {
                rows.add(rowOf(before, x[2 * i], x[2 * i + 1]));
            }
            assertEquals(m, rows.size(), "the batch must use distinct bank rows");

            starts.finish(start.add(100f)); // the chains' ends: recognisably moved
            float[] after = starts.bank().data();
            for (int row = 0; row < bankSize; row++) {
                float dx = after[2 * row] - before[2 * row];
                float dy = after[2 * row + 1] - before[2 * row + 1];
                if (rows.contains(row)) {
                    assertEquals(100f, dx, 1e-4, "drawn row " + row + " must hold its chain's end");
                    assertEquals(100f, dy, 1e-4, "drawn row " + row + " must hold its chain's end");
                } else {
                    assertEquals(0f, dx, "row " + row + " was not drawn and must be untouched");
                    assertEquals(0f, dy, "row " + row + " was not drawn and must be untouched");
                }
            }
        }
    }

    private static int rowOf(float[] bank, float x, float y) {
        for (int row = 0; row < bank.length / 2; row++) {
            if (bank[2 * row] == x && bank[2 * row + 1] == y) {
                return row;
            }
        }
        throw new AssertionError("start (" + x + ", " + y + ") is no bank row");
    }

    @Test
    void aBankSmallerThanABatchIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ChainStarts(Initializer.persistent(10), new ToySource(DatasetFormats.toy("gmm")), 16));
        assertTrue(e.getMessage().contains("at least one batch"), e.getMessage());
    }

    @Test
    void toyResumeWithBankIsBitIdenticalToUninterrupted(@TempDir Path tmp) throws IOException {
        TrainConfig config = Runs.gmmPersistent(40, 5, 8, 4);
        assertResumeKeepsBank(config, tmp, 4, new long[] {40, 2});
    }

    @Test
    void mnistResumeWithOneChainPerImageIsBitIdentical(@TempDir Path tmp) throws IOException {
        TrainConfig config = Runs.mnistPersistent(32, 3, 4, 2);
        assertResumeKeepsBank(config, tmp, 2, new long[] {32, 1, 32, 32});
    }

    private static void assertResumeKeepsBank(TrainConfig config, Path tmp, int half, long[] bankShape)
            throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        Trainer.start(config, a, Runs.QUIET);
        Trainer.start(config.withIterations(half), b, Runs.QUIET);
        Checkpoint mid = Checkpoint.read(Runs.checkpoint(b, half));
        assertNotNull(mid.bank(), "a persistent run's checkpoint must name its bank");
        Tensor bankAtHalf = Runs.tensors(Runs.checkpoint(b, half).resolveSibling(mid.bank())).get("s_t_0");
        assertArrayEquals(bankShape, bankAtHalf.shape());
        Trainer.resume(b, 2L * half, Runs.QUIET);

        ResumeTest.assertSameRun(a, b, 2L * half);
        Path endA = Runs.checkpoint(a, 2L * half);
        Path endB = Runs.checkpoint(b, 2L * half);
        String bank = Checkpoint.read(endB).bank();
        ResumeTest.assertTensorsBitIdentical(endA.resolveSibling(Checkpoint.read(endA).bank()),
                endB.resolveSibling(bank));
        Tensor bankAtEnd = Runs.tensors(endB.resolveSibling(bank)).get("s_t_0");
        assertFalse(Arrays.equals(bankAtHalf.data(), bankAtEnd.data()), "training must move the bank");
        assertFalse(Files.exists(Runs.checkpoint(b, half).resolveSibling(mid.bank())),
                "only the newest checkpoint keeps its (training-set sized) bank");
    }
}
