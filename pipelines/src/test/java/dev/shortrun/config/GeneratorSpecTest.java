package dev.shortrun.config;

import dev.shortrun.model.sampling.Initializer;
import dev.shortrun.steps.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generator steps' settings and the low-resolution p0 resolve with defaults and fail with clear errors. */
class GeneratorSpecTest {
    private static final String MNIST = "dataset:\n  name: mnist\n  dir: data\n";

    @TempDir
    Path dir;

    private RunSpec load(String yaml, String... sets) {
        Path file = SpecFiles.write(dir, "g.yaml", yaml);
        return SpecFiles.loader(dir).loadPipeline(file, CommandLineValue.sets(List.of(sets))).get(0);
    }

    @Test
    void generatorStepsResolveTheirDefaults() {
        RunSpec run = load(MNIST + "steps: [interpolate, reconstruct, superres]\n");
        assertEquals("1000", run.params().get("reconstruct.n"));
        assertEquals("200", run.params().get("reconstruct.steps"));
        assertEquals("10", run.params().get("interpolate.points"));
        assertEquals("8", run.params().get("superres.low"));
        assertEquals("1", run.params().get("reconstruct.seed"));
        RunSpec plain = load(MNIST);
        assertTrue(plain.params().keySet().stream().noneMatch(k -> k.startsWith("reconstruct.")),
                "settings of steps that do not run stay out of the params (and the hash)");
        RunSpec fewer = load(MNIST + "steps: [reconstruct]\n", "reconstruct.n=100");
        assertTrue(!fewer.specHash().equals(load(MNIST + "steps: [reconstruct]\n").specHash()),
                "the held-out count changes what the step reports, so it names the run");
    }

    @Test
    void lowResolutionInit() {
        RunSpec run = load(MNIST + "sampler:\n  init: lowres\n  lowres_size: 4\n");
        Initializer init = run.train().learner().init();
        assertEquals(Initializer.Kind.LOWRES, init.kind());
        assertEquals(4, init.lowresSize());
        SpecException e = assertThrows(SpecException.class,
                () -> load(MNIST + "sampler:\n  init: lowres\n  lowres_size: 5\n"));
        assertTrue(e.getMessage().contains("sampler.lowres_size") && e.getMessage().contains("divide"),
                e.getMessage());
        e = assertThrows(SpecException.class, () -> load(MNIST + "sampler:\n  lowres_size: 8\n"));
        assertTrue(e.getMessage().contains("only used with sampler.init lowres"), e.getMessage());
    }

    @Test
    void settingsOfAStepThatDoesNotRunAreErrors() {
        SpecException e = assertThrows(SpecException.class, () -> load(MNIST + "reconstruct:\n  n: 10\n"));
        assertTrue(e.getMessage().contains("reconstruct.n") && e.getMessage().contains("not in steps"),
                e.getMessage());
        e = assertThrows(SpecException.class,
                () -> load("dataset:\n  name: gmm\nsteps: [interpolate]\n"));
        assertTrue(e.getMessage().contains("2D toy"), e.getMessage());
    }
}
