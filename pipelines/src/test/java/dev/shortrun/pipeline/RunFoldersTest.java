package dev.shortrun.pipeline;

import dev.shortrun.config.CommandLineValue;
import dev.shortrun.config.SpecLoader;
import dev.shortrun.model.run.RunState;
import dev.shortrun.model.run.RunStateFile;
import dev.shortrun.steps.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a sweep run again keeps of its runs' folders, before any worker starts: with the same code a finished run is
 * reused and a started one continues, a run the stopped command never reached starts now, and results of other code
 * are moved aside whole (never deleted) unless the user asks to reuse them.
 */
class RunFoldersTest {
    private static final String CODE = "code-now";

    @Test
    void sameCodeReusesFinishedContinuesStartedAndStartsWhatNoWorkerReached(@TempDir Path dir) throws Exception {
        List<RunSpec> runs = threeRuns(dir);
        Path root = Path.of(runs.get(0).outputDir()).getParent();
        state(runs.get(0), RunState.fresh(CODE, "inv-1", 1).running("training", 2).end(RunState.FINISHED, null, 3));
        state(runs.get(1), RunState.fresh(CODE, "inv-1", 1).running("training", 2).end(RunState.KILLED, null, 3));
        state(runs.get(2), RunState.fresh(CODE, "inv-1", 1)); // queued, then the command was stopped

        RunFolders.Plan plan = RunFolders.prepare(runs, root, RunFolders.aside(root), CODE, "inv-2",
                RunFolders.Reuse.DEFAULT);

        assertEquals(List.of(runs.get(0).runName()), plan.finished());
        assertEquals(List.of(runs.get(1).runName()), plan.continued());
        assertEquals(List.of(runs.get(2).runName()), plan.fresh(), "no worker reached it: it starts now");
        assertNull(plan.movedTo(), "nothing of this code is moved");
        assertEquals(RunState.FINISHED, read(runs.get(0)).status());
        assertEquals(RunState.QUEUED, read(runs.get(1)).status());
        assertEquals("inv-2", read(runs.get(2)).invocation());
    }

    @Test
    void otherCodesResultsAreMovedAsideUnlessReuseIsAsked(@TempDir Path dir) throws Exception {
        List<RunSpec> runs = threeRuns(dir);
        Path root = Path.of(runs.get(0).outputDir()).getParent();
        RunState old = RunState.fresh("code-before", "inv-1", 1).running("training", 2)
                .end(RunState.FINISHED, null, 3);
        for (RunSpec run : runs) {
            state(run, old);
            Files.createDirectories(root.resolve("tracking").resolve(run.runName()));
        }

        RunFolders.Plan kept = RunFolders.prepare(runs, root, RunFolders.aside(root), CODE, "inv-2",
                new RunFolders.Reuse(false, true));
        assertEquals(3, kept.finished().size(), "--reuse-other-code keeps them");
        assertEquals(old.runKey(), read(runs.get(0)).runKey());

        for (RunSpec run : runs) {
            state(run, RunState.fresh("code-before", "inv-1", 1).running("training", 2));
        }
        RunFolders.Plan moved = RunFolders.prepare(runs, root, RunFolders.aside(root), CODE, "inv-3",
                RunFolders.Reuse.DEFAULT);
        assertEquals(3, moved.fresh().size());
        for (RunSpec run : runs) {
            Path aside = moved.movedTo().resolve(run.runName());
            RunState movedState = RunStateFile.read(aside).orElseThrow();
            assertEquals("code-before", movedState.code(), "moved whole, with its state");
            assertTrue(Files.isDirectory(moved.movedTo().resolve("tracking").resolve(run.runName())));
            assertFalse(Files.exists(root.resolve("tracking").resolve(run.runName())));
            assertEquals(RunState.QUEUED, read(run).status());
            assertFalse(read(run).runKey().equals(movedState.runKey()), "a new key: a new run in MLflow");
        }
    }

    private static List<RunSpec> threeRuns(Path dir) throws Exception {
        Path base = TinySpecs.toyPipeline(dir, "folders");
        Path sweep = TinySpecs.toySweep(dir, "folders-sweep", base);
        return new SpecLoader().loadSweep(sweep, List.of(CommandLineValue.set("output=" + dir.resolve("out"))))
                .points();
    }

    private static void state(RunSpec run, RunState state) {
        RunStateFile.update(Path.of(run.outputDir()), s -> state);
    }

    private static RunState read(RunSpec run) {
        return RunStateFile.read(Path.of(run.outputDir())).orElseThrow();
    }
}
