package dev.shortrun.model.run;

import dev.shortrun.model.learning.OptimizerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run folder is held by one process at a time: a second process is refused with the owner's pid, host and start
 * time, and the lock of a process killed with kill -9 is taken over. Within one process, steps share the folder
 * and only one thread trains it.
 */
class RunLockTest {
    @TempDir
    Path tmp;

    @Test
    void anotherProcessIsRefusedNamingItAndAKilledOwnersLockIsTakenOver() throws Exception {
        Path run = tmp.resolve("run");
        Process owner = holder(run);
        try {
            RunInUseException e = assertThrows(RunInUseException.class,
                    () -> new RunDirectory(run).lockForTraining());
            String prefix = "run folder " + run.toRealPath() + " is in use (train by pid " + owner.pid() + " on host ";
            assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
            assertTrue(e.getMessage().matches(".* since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\); wait for it to "
                    + "finish or stop that process \\(the lock of a killed process is released by the OS\\)"),
                    e.getMessage());
            assertThrows(RunInUseException.class, () -> new RunDirectory(run).lockForStep("sample"));
            assertEquals(owner.pid(), RunLock.owner(run).orElseThrow().pid());
        } finally {
            owner.destroyForcibly(); // SIGKILL: no shutdown hook, no release, the lock file stays behind
            assertTrue(owner.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(Files.size(run.resolve(RunLock.FILE)) > 0, "the killed owner's record is gone");
        try (RunLock lock = new RunDirectory(run).lockForTraining()) {
            assertEquals(ProcessHandle.current().pid(), RunLock.owner(run).orElseThrow().pid());
            assertTrue(RunLock.heldHere(run));
        }
        assertFalse(RunLock.heldHere(run));
        assertEquals(0, Files.size(run.resolve(RunLock.FILE)), "a released lock still names an owner");
    }

    @Test
    void trainingRefusesAFolderAnotherProcessHoldsAndWritesNothing() throws Exception {
        Path run = tmp.resolve("run");
        Process owner = holder(run);
        try {
            var config = Runs.gmm(2, 2, 4, 2, OptimizerConfig.adam(), 1e-3, 1e6);
            RunInUseException e = assertThrows(RunInUseException.class, () -> Trainer.start(config, run, Runs.QUIET));
            assertTrue(e.getMessage().contains("train by pid " + owner.pid()), e.getMessage());
            assertThrows(RunInUseException.class, () -> Trainer.resume(run, 4, Runs.QUIET));
            try (var files = Files.list(run)) {
                assertEquals(java.util.List.of(run.resolve(RunLock.FILE)), files.toList());
            }
        } finally {
            owner.destroyForcibly();
            assertTrue(owner.waitFor(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void withinAProcessStepsShareAndOnlyOneThreadTrains() throws Exception {
        Path run = tmp.resolve("run");
        RunDirectory dir = new RunDirectory(run);
        try (RunLock training = dir.lockForTraining();
             RunLock again = dir.lockForTraining(); // the same thread: the pipeline's train step, then the trainer
             RunLock step = dir.lockForStep("sample")) {
            RunInUseException e = CompletableFuture.supplyAsync(() -> assertThrows(RunInUseException.class,
                    dir::lockForTraining)).get(30, TimeUnit.SECONDS);
            assertTrue(e.getMessage().contains("(train by thread '" + Thread.currentThread().getName()
                    + "' of this process (pid " + ProcessHandle.current().pid() + "))"), e.getMessage());
            CompletableFuture.runAsync(() -> dir.lockForStep("score").close()).get(30, TimeUnit.SECONDS);
        }
        assertFalse(RunLock.heldHere(run));
        // released: another thread may train now
        CompletableFuture.runAsync(() -> dir.lockForTraining().close()).get(30, TimeUnit.SECONDS);
    }

    /** A child JVM holding {@code run} for training, once it says so. */
    private static Process holder(Path run) throws IOException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), RunLockHolder.class.getName(), run.toString())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertEquals("held " + p.pid(), line, "the holder did not take the lock");
        return p;
    }
}
