package dev.shortrun.config;

import dev.shortrun.steps.Objective;
import dev.shortrun.steps.RunOrigin;
import dev.shortrun.steps.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where each resolved run says it came from: its base pipeline, its sweep point, what changed, its label. */
class RunOriginsTest {
    @TempDir
    Path dir;

    @Test
    void everyShippedSweepNamesItsPointsBySweptValuesDistinctWhereTheUiCutsThem() throws IOException {
        List<Path> sweeps;
        try (Stream<Path> files = Files.list(SpecFiles.root().resolve("sweeps"))) {
            sweeps = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(sweeps.size() >= 5, "sweeps: " + sweeps);
        for (Path file : sweeps) {
            Sweep sweep = SpecFiles.loader(dir).loadSweep(file, List.of());
            Set<String> prefixes = new HashSet<>();
            for (RunSpec run : sweep.points()) {
                String label = run.origin().label();
                assertTrue(prefixes.add(label.substring(0, Math.min(label.length(), RunOrigin.DISTINCT_PREFIX))),
                        file + ": " + label + " starts like another point's");
                assertTrue(!label.startsWith(sweep.name()), file + ": " + label + " leads with the sweep's name");
                assertTrue(label.endsWith("#" + run.specHash().substring(0, 6)), label);
                assertEquals(sweep.points().size(), run.origin().sweep().count());
            }
        }
    }

    @Test
    void ciSmokeSaysWhatItChangedFromQuickstartAndRanksItsPointsByKlOfTheSamples() {
        Sweep sweep = SpecFiles.loader(dir).loadSweep(SpecFiles.root().resolve("sweeps/ci-smoke.yaml"),
                List.of());
        assertEquals(new Objective("kl_true_kde", "min", "last"), sweep.objective());
        List<String> labels = sweep.points().stream().map(r -> r.origin().label().substring(0,
                r.origin().label().indexOf(" #"))).toList();
        assertEquals(List.of("lr=1e-4", "lr=3e-4", "lr=0.001"), labels);
        RunSpec second = sweep.points().get(1);
        RunOrigin origin = second.origin();
        assertEquals("quickstart", origin.basePipeline());
        assertEquals(SpecFiles.root().resolve("pipelines/quickstart.yaml").toString(), origin.baseFile(),
                "outside the working directory, the path is absolute");
        assertEquals(2, origin.sweep().index());
        assertEquals("Three learning rates on the gmm toy, 30 iterations each", origin.sweep().description());
        assertTrue(origin.changes().contains(new RunOrigin.Change("learner.iterations", "600", "30")),
                origin.changes().toString());
        assertTrue(origin.changes().contains(new RunOrigin.Change("steps", "sample", "sample,density")));
        assertTrue(origin.changes().contains(new RunOrigin.Change("learner.lr", "1.0E-4", "3.0E-4")));
        assertTrue(sweep.points().get(0).origin().changes().stream().noneMatch(c -> c.key().equals("learner.lr")),
                "the first point keeps the base's lr: not a change");
        assertNull(origin.launch(), "the command that starts it says who did");
    }

    @Test
    void aPipelineRunChangesWhatTheCommandLineSets() {
        Path file = SpecFiles.write(dir, "toy.yaml", "dataset: {name: gmm}\nlearner: {iterations: 50}\n");
        RunSpec run = SpecFiles.loader(dir).loadPipeline(file, CommandLineValue.sets(List.of(
                "learner.iterations=20", "sampler.K=100"))).get(0);
        assertEquals("toy", run.origin().basePipeline());
        assertEquals("toy.yaml", run.origin().baseFile(), "relative to the working directory");
        assertEquals(run.runName(), run.origin().label());
        assertNull(run.origin().sweep());
        assertEquals(List.of(new RunOrigin.Change("learner.iterations", "50", "20")), run.origin().changes(),
                "sampler.K=100 is the default already");
    }

    @Test
    void labelsThatWouldStartAlikeAreNumbered() {
        SpecFiles.write(dir, "toy.yaml", "dataset: {name: gmm}\n");
        Path sweep = SpecFiles.write(dir, "sweep.yaml", String.join("\n", "base: toy.yaml", "axes:", "  zip:",
                "    learner.beta1: [0.5, 0.5, 0.5]", "    learner.beta2: [0.9, 0.9, 0.9]",
                "    learner.divergence_bound: [1000, 2000, 3000]", ""));
        List<String> labels = SpecFiles.loader(dir).loadSweep(sweep, List.of()).points().stream()
                .map(r -> r.origin().label()).toList();
        assertTrue(labels.get(0).startsWith("p1 beta1=0.5 beta2=0.9 divergence_bound=1000 #"), labels.get(0));
        assertTrue(labels.get(2).startsWith("p3 "), labels.get(2));
    }

    @Test
    void numbersAreShortInLabels() {
        assertEquals("1e-4", RunLabels.compact("1.0E-4"));
        assertEquals("2.5e-4", RunLabels.compact("2.5E-4"));
        assertEquals("0.15", RunLabels.compact("0.150"));
        assertEquals("100", RunLabels.compact("100"));
        assertEquals("1.23e5", RunLabels.compact("123456"));
        assertEquals("0", RunLabels.compact("0.0"));
        assertEquals("toy-gmm-convergent", RunLabels.compact("toy-gmm-convergent"));
    }

    @Test
    void aSweepWithoutObjectiveHasNoneAndABadObjectiveIsOneClearLine() {
        assertNull(SpecFiles.loader(dir).loadSweep(SpecFiles.root().resolve("sweeps/table2-k-sigma.yaml"),
                List.of()).objective());
        SpecFiles.write(dir, "toy.yaml", "dataset: {name: gmm}\n");
        Path best = SpecFiles.write(dir, "best.yaml", "base: toy.yaml\nobjective: {metric: fid, checkpoint: best}\n");
        assertEquals(new Objective("fid", "min", "best"), SpecFiles.loader(dir).loadSweep(best, List.of()).objective());
        assertEquals("4: objective.direction: must be one of min, max, found 'up'",
                error("objective:\n  metric: fid\n  direction: up\n"));
        assertEquals("3: objective.metric: missing required key: the metric that ranks the points (a step's, e.g. "
                + "kl_true_kde or fid, or f_diff, grad_norm, seconds_per_iteration)",
                error("objective:\n  direction: max\n"));
        assertEquals("5: objective.best: unknown key; allowed: metric, direction, checkpoint",
                error("objective:\n  metric: fid\n  direction: max\n  best: true\n"));
    }

    /** The error of a sweep with {@code objective} on the toy base, without the file's path. */
    private String error(String objective) {
        Path sweep = SpecFiles.write(dir, "bad.yaml", "base: toy.yaml\n" + objective);
        String message = assertThrows(SpecException.class, () -> SpecFiles.loader(dir).loadSweep(sweep, List.of()))
                .getMessage();
        assertTrue(message.startsWith(sweep + ":"), message);
        return message.substring(sweep.toString().length() + 1);
    }
}
