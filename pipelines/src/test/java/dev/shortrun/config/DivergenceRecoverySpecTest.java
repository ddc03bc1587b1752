package dev.shortrun.config;

import dev.shortrun.model.learning.DivergencePolicy;
import dev.shortrun.steps.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code learner.on_divergence}, {@code restarts}, {@code restart_lr_factor}, {@code restart_seed}: a spec without
 * them keeps its params and hash (runs stop on divergence, as before); with them the run carries its policy.
 */
class DivergenceRecoverySpecTest {
    private static final String TOY = "dataset:\n  name: gmm\nlearner:\n  iterations: 50\n";

    @TempDir
    Path dir;

    private RunSpec load(String... sets) {
        Path file = SpecFiles.write(dir, "toy.yaml", TOY);
        return SpecFiles.loader(dir).loadPipeline(file, CommandLineValue.sets(List.of(sets))).get(0);
    }

    @Test
    void withoutTheKeysARunStopsAndKeepsItsParamsAndHash() {
        RunSpec run = load();
        assertNull(run.train().onDivergence());
        assertEquals("c359ff5dcbbe", run.specHash(), "the pinned hash of SpecHashTest");
        for (String key : List.of("learner.on_divergence", "learner.restarts", "learner.restart_lr_factor",
                "learner.restart_seed")) {
            assertFalse(run.params().containsKey(key), key);
        }
        assertFalse(run.toJson().contains("onDivergence"), run.toJson());
    }

    @Test
    void restartTakesItsDefaultsAndNamesTheRun() {
        RunSpec run = load("learner.on_divergence=restart");
        assertEquals(new DivergencePolicy(3, 0.5, true), run.train().onDivergence());
        assertEquals("restart", run.params().get("learner.on_divergence"));
        assertEquals("3", run.params().get("learner.restarts"));
        assertEquals("0.5", run.params().get("learner.restart_lr_factor"));
        assertEquals("new", run.params().get("learner.restart_seed"));
        assertNotEquals(load().specHash(), run.specHash());
        assertEquals(new DivergencePolicy(5, 0.25, false), load("learner.on_divergence=restart",
                "learner.restarts=5", "learner.restart_lr_factor=0.25", "learner.restart_seed=same")
                .train().onDivergence());
        assertNull(load("learner.on_divergence=stop").train().onDivergence());
    }

    @Test
    void restartKeysWithoutRestartOrThatChangeNothingAreRefused() {
        SpecException e = assertThrows(SpecException.class, () -> load("learner.restarts=2"));
        assertEquals("learner.restarts", e.keyPath());
        assertEquals("only used with learner.on_divergence: restart", e.problem());
        e = assertThrows(SpecException.class, () -> load("learner.on_divergence=restart",
                "learner.restart_seed=same", "learner.restart_lr_factor=1"));
        assertEquals("learner.restart_seed", e.keyPath());
        assertTrue(e.problem().startsWith("with restart_lr_factor 1 a restart on the same random stream diverges "
                + "again"), e.problem());
        e = assertThrows(SpecException.class, () -> load("learner.on_divergence=retry"));
        assertEquals("learner.on_divergence", e.keyPath());
    }
}
