package dev.shortrun.model.run;

import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.learning.DivergenceException;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Training that really blows up (too large a learning rate) stops with a {@link DivergenceException} naming the
 * iteration and the last good checkpoint, which holds finite weights; metrics.csv is flushed up to the last
 * completed iteration.
 */
class DivergenceTest {
    @BeforeAll
    static void engine() {
        Torch.configure(2);
    }

    @Test
    void mnistWithAdamLr01DivergesAfterACheckpoint(@TempDir Path tmp) throws IOException {
        // Adam lr 0.1 on the 32x32 net (n_f 4): energies pass the default bound 1e6 after about a dozen updates.
        TrainConfig config = Runs.mnist(256, 4, 3, 40, 4, 0.1);
        Outcome o = diverge(config, tmp);
        assertTrue(o.diverged > 4, "must diverge after the first checkpoint (iteration 4), got " + o.diverged);
        assertTrue(o.e.getMessage().contains("energies beyond the divergence bound"), o.e.getMessage());
    }

    @Test
    void toyWithHugeSgdStepGoesNonFinite(@TempDir Path tmp) throws IOException {
        // SGD lr 300 on the ToyNet: weights explode and f turns to NaN/inf within a few updates.
        TrainConfig config = Runs.gmm(5, 5, 20, 1, OptimizerConfig.sgd(), 300, 1e6);
        Outcome o = diverge(config, tmp);
        assertTrue(o.diverged > 1, "must diverge after the first checkpoint, got " + o.diverged);
        assertTrue(o.e.getMessage().contains("non-finite values"), o.e.getMessage());
        IterationStats s = o.e.stats();
        assertFalse(Double.isFinite(s.fNegative()) && Double.isFinite(s.fPositive())
                && Double.isFinite(s.gradNorm()), "the reported stats hold the non-finite value: " + s);
    }

    @Test
    void toyWithAdamLr1Diverges(@TempDir Path tmp) throws IOException {
        TrainConfig config = Runs.gmm(5, 5, 40, 2, OptimizerConfig.adam(), 1.0, 1e6);
        Outcome o = diverge(config, tmp);
        assertTrue(o.diverged > 2, "must diverge after the first checkpoint, got " + o.diverged);
    }

    @Test
    void tinyBoundBeforeAnyCheckpointSaysSo(@TempDir Path tmp) throws IOException {
        TrainConfig config = Runs.gmm(5, 5, 10, 5, OptimizerConfig.adam(), 1e-3, 1e-6);
        DivergenceException e = assertThrows(DivergenceException.class, () -> Trainer.start(config, tmp,
                Runs.QUIET));
        assertTrue(e.getMessage().startsWith("training diverged at iteration 1 "), e.getMessage());
        assertTrue(e.getMessage().contains("No checkpoint was written before it."), e.getMessage());
        assertFalse(e.getMessage().contains("Last good checkpoint"), e.getMessage());
        assertEquals(1, e.stats().iteration());
        assertTrue(new RunDirectory(tmp).newestCheckpoint().isEmpty(), "no checkpoint may exist");
        assertEquals(0, Runs.metricsRows(tmp).size(), "no iteration completed");
    }

    private record Outcome(DivergenceException e, long diverged) {
    }

    /** Runs {@code config} expecting divergence; checks the message, the last checkpoint and metrics.csv. */
    private static Outcome diverge(TrainConfig config, Path runDir) throws IOException {
        List<Long> completed = new ArrayList<>();
        List<Path> checkpoints = new ArrayList<>();
        Trainer.Listener listener = new Trainer.Listener() {
            @Override
            public void onIteration(IterationStats stats) {
                completed.add(stats.iteration());
            }

            @Override
            public void onCheckpoint(Path json) {
                checkpoints.add(json);
            }
        };
        DivergenceException e = assertThrows(DivergenceException.class,
                () -> Trainer.start(config, runDir, listener),
                "training with these settings must diverge within " + config.iterations() + " iterations");
        long lastDone = completed.isEmpty() ? 0 : completed.get(completed.size() - 1);
        long diverged = lastDone + 1;
        String message = e.getMessage();
        assertTrue(message.startsWith("training diverged at iteration " + diverged + " "), message);
        assertEquals(diverged, e.stats().iteration(), "stats of the diverging iteration");
        assertTrue(message.contains("Last good checkpoint"), message);
        assertFalse(checkpoints.isEmpty(), "a checkpoint must have been written before divergence");

        // The newest checkpoint on disk is the last one written, earlier than the divergence, with finite weights.
        Path newest = new RunDirectory(runDir).newestCheckpoint().orElseThrow();
        assertEquals(checkpoints.get(checkpoints.size() - 1), newest);
        assertTrue(message.contains("Last good checkpoint: " + newest), message);
        assertFalse(message.contains("continue with --resume"), "a resumed run replays the divergence: " + message);
        Checkpoint c = Checkpoint.read(newest);
        assertTrue(c.iteration() < diverged, "checkpoint " + c.iteration() + " not before " + diverged);
        assertEquals(lastDone - lastDone % config.checkpointEvery(), c.iteration(),
                "newest checkpoint is the last multiple of checkpointEvery");
        Map<String, Tensor> weights = Runs.tensors(newest.resolveSibling(c.weights()));
        assertFalse(weights.isEmpty());
        for (Map.Entry<String, Tensor> w : weights.entrySet()) {
            for (float v : w.getValue().data()) {
                assertTrue(Float.isFinite(v), w.getKey() + " holds a non-finite weight " + v);
            }
        }
        assertFalse(Files.exists(newest.resolveSibling(RunDirectory.iterName(diverged) + ".json")));

        // metrics.csv holds every completed iteration, in order, and nothing of the diverging one.
        List<String[]> rows = Runs.metricsRows(runDir);
        assertEquals(lastDone, rows.size(), "metrics rows flushed up to the last completed iteration");
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(Long.toString(i + 1), rows.get(i)[0]);
        }
        return new Outcome(e, diverged);
    }
}
