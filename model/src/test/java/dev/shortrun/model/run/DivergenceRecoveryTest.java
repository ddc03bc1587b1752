package dev.shortrun.model.run;

import dev.shortrun.model.learning.DivergenceException;
import dev.shortrun.model.learning.DivergencePolicy;
import dev.shortrun.model.learning.IterationMetrics;
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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run with a {@link DivergencePolicy} that really diverges (the 2D toy with Adam lr 1, as in DivergenceTest) goes
 * back to its last good checkpoint, continues with the policy's lr and seed, records every restart, and finishes;
 * a rerun makes the same decisions bit for bit, and a resumed run keeps its restarts and their lr.
 */
class DivergenceRecoveryTest {
    private static final DivergencePolicy POLICY = new DivergencePolicy(4, 0.1, true);

    @BeforeAll
    static void engine() {
        Torch.configure(2);
    }

    private static TrainConfig diverging(long iterations) {
        return Runs.gmm(5, 5, iterations, 2, OptimizerConfig.adam(), 1.0, 1e6).withOnDivergence(POLICY);
    }

    @Test
    void aDivergedRunRestartsFromItsLastGoodCheckpointAndFinishes(@TempDir Path tmp) throws IOException {
        List<Restart> seen = new ArrayList<>();
        Trainer.Result done = Trainer.start(diverging(40), tmp.resolve("a"), new Trainer.Listener() {
            @Override
            public void onRestart(Restart restart) {
                seen.add(restart);
            }
        });
        assertEquals(40, done.iterations());
        assertTrue(!seen.isEmpty(), "lr 1 did not diverge: the test proves nothing");
        Checkpoint last = Checkpoint.read(done.lastCheckpoint());
        assertEquals(seen, last.restarts(), "the final checkpoint records every restart");
        for (Restart r : seen) {
            assertTrue(r.cause().startsWith("training diverged at iteration " + r.divergedAt() + " "), r.cause());
            assertEquals(r.from() - r.from() % 2, r.from(), "back to a checkpoint (every 2 iterations)");
            assertTrue(r.from() < r.divergedAt());
            assertEquals(Math.pow(0.1, r.number()), r.lr(), 1e-12, "lr x 0.1 per restart");
            assertEquals(DivergencePolicy.seed(123, r.number()), r.seed());
        }
        assertEquals(Math.pow(0.1, seen.size()), last.config().learner().lr().at(0), 1e-12,
                "the run continues (and resumes) with the restarted lr");
        // metrics.csv: one row per iteration of the history the weights have, none from the diverged stretches
        List<String[]> rows = Runs.metricsRows(tmp.resolve("a"));
        assertEquals(40, rows.size());
        int lr = IterationMetrics.ALL.indexOf(IterationMetrics.LR);
        for (int i = 0; i < 40; i++) {
            assertEquals(Long.toString(i + 1), rows.get(i)[0]);
        }
        assertEquals(Math.pow(0.1, seen.size()), Double.parseDouble(rows.get(39)[lr]), 1e-12);

        // the same spec again: the same restarts, the same weights
        Trainer.Result again = Trainer.start(diverging(40), tmp.resolve("b"), Runs.QUIET);
        assertEquals(seen, Checkpoint.read(again.lastCheckpoint()).restarts());
        assertArrayEquals(Files.readAllBytes(done.lastCheckpoint().resolveSibling(last.weights())),
                Files.readAllBytes(again.lastCheckpoint().resolveSibling(last.weights())));
    }

    @Test
    void aResumedRunKeepsItsRestartsAndEqualsTheUninterruptedOne(@TempDir Path tmp) throws IOException {
        Trainer.Result whole = Trainer.start(diverging(40), tmp.resolve("whole"), Runs.QUIET);
        List<Restart> restarts = Checkpoint.read(whole.lastCheckpoint()).restarts();
        long firstRestart = restarts.get(0).divergedAt();
        long half = firstRestart + 4 - firstRestart % 2; // past the first restart
        Path split = tmp.resolve("split");
        Trainer.start(diverging(half), split, Runs.QUIET);
        Trainer.Result resumed = Trainer.resume(split, 40, Runs.QUIET);
        Checkpoint a = Checkpoint.read(whole.lastCheckpoint());
        Checkpoint b = Checkpoint.read(resumed.lastCheckpoint());
        assertEquals(a.restarts(), b.restarts());
        assertArrayEquals(Files.readAllBytes(whole.lastCheckpoint().resolveSibling(a.weights())),
                Files.readAllBytes(resumed.lastCheckpoint().resolveSibling(b.weights())));
    }

    @Test
    void theDivergenceAfterTheLastRestartStopsTheRunSayingSo(@TempDir Path tmp) {
        // SGD lr 300 on the toy: non-finite within a few updates, still so at lr 30
        TrainConfig config = Runs.gmm(5, 5, 40, 1, OptimizerConfig.sgd(), 300, 1e6)
                .withOnDivergence(new DivergencePolicy(1, 0.1, false));
        List<Restart> seen = new ArrayList<>();
        DivergenceException e = assertThrows(DivergenceException.class, () -> Trainer.start(config, tmp,
                new Trainer.Listener() {
                    @Override
                    public void onRestart(Restart restart) {
                        seen.add(restart);
                    }
                }));
        assertEquals(1, seen.size());
        assertNull(seen.get(0).seed(), "restart_seed same keeps the checkpoint's stream");
        assertTrue(e.getMessage().contains(" It diverged after 1 automatic restart(s), all that learner.restarts "
                + "allows. Last good checkpoint: "), e.getMessage());
    }

    @Test
    void restartSeedsAreDistinctAndDerivedFromTheRunSeed() {
        assertEquals(DivergencePolicy.seed(1, 2), DivergencePolicy.seed(1, 2));
        assertNotEquals(DivergencePolicy.seed(1, 1), DivergencePolicy.seed(1, 2));
        assertNotEquals(DivergencePolicy.seed(1, 1), DivergencePolicy.seed(2, 1));
        assertThrows(IllegalArgumentException.class, () -> new DivergencePolicy(2, 1.0, false));
    }
}
