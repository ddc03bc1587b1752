package dev.shortrun.model.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run folder's state: changed under a lock, so that of many steps ending at once exactly one ends the run. */
class RunStateFileTest {
    @Test
    void ofManyStepsTakingTheirItemOffAtOnceExactlyOneSeesTheListEmpty(@TempDir Path run) throws Exception {
        int steps = 16;
        List<String> items = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            items.add("sample@" + i);
        }
        RunStateFile.update(run, s -> RunState.fresh("code", "inv", 0).running("training", 0).withPending(items));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> ended = new ArrayList<>();
        for (String item : items) {
            ended.add(pool.submit(() -> {
                go.await();
                boolean[] last = new boolean[1];
                RunStateFile.update(run, s -> {
                    RunState left = s.done(item);
                    last[0] = left.pending().isEmpty() && !left.ended();
                    return last[0] ? left.end(RunState.FINISHED, null, 1) : left;
                });
                return last[0];
            }));
        }
        go.countDown();
        int enders = 0;
        for (Future<Boolean> f : ended) {
            enders += f.get(1, TimeUnit.MINUTES) ? 1 : 0;
        }
        pool.shutdown();
        assertEquals(1, enders, "exactly one step ends the run");
        RunState state = RunStateFile.read(run).orElseThrow();
        assertEquals(RunState.FINISHED, state.status());
        assertTrue(state.pending().isEmpty(), "no change was lost: " + state.pending());
        assertEquals(ProcessIdentity.current().toString(), state.worker());
        try (var files = Files.list(run)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "temp files left");
        }
    }

    @Test
    void aNewInvocationKeepsAFinishedRunAndQueuesAnyOtherUnderTheSameKey(@TempDir Path run) {
        RunState fresh = RunState.fresh("code-1", "inv-1", 5);
        assertEquals(RunState.QUEUED, fresh.status());
        assertNotEquals(RunState.fresh("code-1", "inv-1", 5).runKey(), fresh.runKey(), "a new folder, a new key");

        RunState killed = fresh.running("training", 10).withTraining(35, 90).end(RunState.KILLED, null, 20);
        RunState again = killed.queued("code-1", "inv-2", 30);
        assertEquals(RunState.QUEUED, again.status());
        assertEquals(fresh.runKey(), again.runKey(), "continued under its key");
        assertEquals(35, again.iteration());
        assertEquals(0, again.endedMs());

        RunState finished = again.running("training", 40).end(RunState.FINISHED, null, 50);
        RunState reused = finished.queued("code-1", "inv-3", 60);
        assertEquals(RunState.FINISHED, reused.status());
        assertEquals(50, reused.endedMs(), "a reused run keeps its end");
        assertEquals("inv-3", reused.invocation());
        assertThrows(IllegalArgumentException.class, () -> again.end(RunState.RUNNING, null, 70));
    }

    @Test
    void anUnreadableStateNamesItsFile(@TempDir Path run) throws Exception {
        assertTrue(RunStateFile.read(run).isEmpty());
        Files.writeString(run.resolve(RunStateFile.NAME), "{\"status\": ");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunStateFile.read(run));
        assertTrue(e.getMessage().contains(run.resolve(RunStateFile.NAME).toString()), e.getMessage());
    }
}
