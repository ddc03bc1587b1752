package dev.shortrun.config;

import dev.shortrun.steps.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sweeps expand to grid x zip x random x seeds points, in a fixed order, with reproducible random draws. */
class SweepExpansionTest {
    @TempDir
    Path dir;

    private Sweep sweep(String yaml) {
        SpecFiles.write(dir, "toy.yaml", "dataset:\n  name: gmm\nlearner:\n  iterations: 10\n");
        Path file = SpecFiles.write(dir, "sweep.yaml", "base: toy.yaml\n" + yaml);
        return SpecFiles.loader(dir).loadSweep(file, CommandLineValue.sets(List.of()));
    }

    private static List<String> points(Sweep sweep) {
        return sweep.points().stream().map(r -> r.sweepPoint().toString()).toList();
    }

    @Test
    void gridTimesZipTimesSeedsInNestingOrder() {
        Sweep sweep = sweep("""
                axes:
                  grid:
                    learner.lr: [1e-4, 1e-3]
                    model.n_f: [8, 16]
                  zip:
                    sampler.K: [5, 10]
                    learner.sigma: [0.1, 0.05]
                  seeds: [1, 2]
                """);
        assertEquals(2 * 2 * 2 * 2, sweep.points().size());
        List<String> points = points(sweep);
        assertEquals("{learner.lr=1.0E-4, model.n_f=8, sampler.K=5, learner.sigma=0.1, learner.seed=1}",
                points.get(0));
        assertEquals("{learner.lr=1.0E-4, model.n_f=8, sampler.K=5, learner.sigma=0.1, learner.seed=2}",
                points.get(1));
        assertEquals("{learner.lr=1.0E-4, model.n_f=8, sampler.K=10, learner.sigma=0.05, learner.seed=1}",
                points.get(2));
        assertEquals("{learner.lr=1.0E-4, model.n_f=16, sampler.K=5, learner.sigma=0.1, learner.seed=1}",
                points.get(4));
        assertEquals("{learner.lr=0.001, model.n_f=16, sampler.K=10, learner.sigma=0.05, learner.seed=2}",
                points.get(15));
        assertEquals(16, new HashSet<>(sweep.points().stream().map(RunSpec::specHash).toList()).size());
        RunSpec last = sweep.points().get(15);
        assertEquals("sweep-lr0.001-n_f16-K10-sigma0.05-seed2-" + last.specHash(), last.runName());
        assertEquals(10, last.train().langevin().kMax());
        assertEquals(2, last.train().seed());
    }

    @Test
    void onlyPresentAxesMultiply() {
        assertEquals(3, sweep("axes:\n  seeds: [7, 8, 9]\n").points().size());
        assertEquals(1, sweep("set:\n  learner.lr: 0.01\n").points().size());
        assertEquals(0.01, sweep("set:\n  learner.lr: 0.01\n").points().get(0).train().learner().lr().initial());
    }

    @Test
    void sweepNameDefaultsToFileNameAndNamesTheExperiment() {
        Sweep sweep = sweep("axes:\n  seeds: [1]\n");
        assertEquals("sweep", sweep.name());
        assertEquals(1, sweep.maxConcurrency());
        assertEquals("sweep", sweep.points().get(0).tracking().experiment());
        assertEquals(List.of(dir.resolve("toy.yaml")), sweep.baseFiles());
    }

    @Test
    void randomDrawsAreReproducibleAndInBounds() {
        String yaml = """
                axes:
                  random:
                    count: 20
                    seed: 7
                    params:
                      learner.lr: {log_uniform: [1e-5, 1e-3]}
                      learner.sigma: {uniform: [0.01, 0.1]}
                      model.n_f: {uniform: [4, 12]}
                      model.activation: {choice: [gelu, softplus]}
                """;
        Sweep first = sweep(yaml);
        Sweep again = sweep(yaml);
        assertEquals(20, first.points().size());
        assertEquals(points(first), points(again));
        Set<String> activations = new HashSet<>();
        for (RunSpec run : first.points()) {
            double lr = run.train().learner().lr().initial();
            double sigma = run.train().learner().sigma().initial();
            int nf = run.train().net().nf();
            assertTrue(lr >= 1e-5 && lr <= 1e-3, "lr " + lr);
            assertTrue(sigma >= 0.01 && sigma <= 0.1, "sigma " + sigma);
            assertTrue(nf >= 4 && nf <= 12, "n_f " + nf);
            activations.add(run.params().get("model.activation"));
        }
        assertEquals(Set.of("gelu", "softplus"), activations);
        // log-uniform: draws spread over the decades, not bunched near the top
        assertTrue(first.points().stream().anyMatch(r -> r.train().learner().lr().initial() < 1e-4));
        Sweep otherSeed = sweep(yaml.replace("seed: 7", "seed: 8"));
        assertNotEquals(points(first), points(otherSeed));
    }

    @Test
    void randomCrossesWithGrid() {
        Sweep sweep = sweep("""
                axes:
                  grid:
                    sampler.K: [5, 10]
                  random: {count: 3, seed: 1, params: {learner.lr: {uniform: [1e-4, 2e-4]}}}
                """);
        assertEquals(6, sweep.points().size());
        // the same three draws under each K
        List<String> lrs = sweep.points().stream().map(r -> r.sweepPoint().get("learner.lr")).toList();
        assertEquals(lrs.subList(0, 3), lrs.subList(3, 6));
    }

    @Test
    void aListOfBasesRunsEveryPointOnEachPipelineAndLeavesOtherKeysToSet() {
        SpecFiles.write(dir, "conv.yaml", "dataset:\n  name: gmm\nsampler:\n  K: 50\nlearner:\n"
                + "  iterations: 200\n  optimizer: sgd\n  lr: 0.1\n");
        SpecFiles.write(dir, "nonconv.yaml", "dataset:\n  name: gmm\nsampler:\n  K: 10\nlearner:\n"
                + "  iterations: 100\n");
        Path file = SpecFiles.write(dir, "both.yaml", "base: [conv.yaml, nonconv.yaml]\naxes:\n  seeds: [1, 2]\n");
        Sweep sweep = SpecFiles.loader(dir).loadSweep(file, CommandLineValue.sets(List.of("learner.iterations=7")));
        assertEquals(List.of(dir.resolve("conv.yaml"), dir.resolve("nonconv.yaml")), sweep.baseFiles());
        assertEquals(List.of("{pipeline=conv, learner.seed=1}", "{pipeline=conv, learner.seed=2}",
                "{pipeline=nonconv, learner.seed=1}", "{pipeline=nonconv, learner.seed=2}"), points(sweep));
        RunSpec conv = sweep.points().get(0);
        RunSpec nonconv = sweep.points().get(2);
        assertEquals(50, conv.train().langevin().kMax());
        assertEquals(10, nonconv.train().langevin().kMax());
        assertEquals(7, conv.train().iterations()); // --set reaches every base
        assertEquals(7, nonconv.train().iterations());
        assertEquals("both", conv.pipeline());
        assertEquals("both-conv-seed1-" + conv.specHash(), conv.runName());

        Path twice = SpecFiles.write(dir, "twice.yaml", "base: [conv.yaml, ./conv.yaml]\n");
        SpecException e = org.junit.jupiter.api.Assertions.assertThrows(SpecException.class,
                () -> SpecFiles.loader(dir).loadSweep(twice, CommandLineValue.sets(List.of())));
        assertTrue(e.getMessage().contains("names conv twice"), e.getMessage());
        SpecException swept = org.junit.jupiter.api.Assertions.assertThrows(SpecException.class,
                () -> SpecFiles.loader(dir).loadSweep(file, CommandLineValue.sets(List.of("learner.seed=3"))));
        assertTrue(swept.getMessage().contains("cannot fix a swept key"), swept.getMessage());
    }
}
