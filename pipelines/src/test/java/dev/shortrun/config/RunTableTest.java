package dev.shortrun.config;

import dev.shortrun.steps.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code shortrun validate}'s views of resolved runs. */
class RunTableTest {
    @TempDir
    Path dir;

    @Test
    void oneAlignedLinePerRun() {
        SpecFiles.write(dir, "toy.yaml", "dataset: {name: gmm}\nlearner: {iterations: 30}\n");
        Path file = SpecFiles.write(dir, "s.yaml", "base: toy.yaml\naxes:\n  zip:\n    sampler.K: [5, 10]\n"
                + "    learner.sigma: [0.15, 0.1]\n");
        Sweep sweep = SpecFiles.loader(dir).loadSweep(file, CommandLineValue.sets(List.of()));
        List<String> lines = RunTable.render(sweep.points()).lines().toList();
        assertEquals(3, lines.size());
        assertTrue(lines.get(0).matches("RUN +HASH +SWEPT +ITERATIONS +K +SIGMA +N_F +LR +RUNNER"), lines.get(0));
        RunSpec first = sweep.points().get(0);
        assertEquals(first.runName() + "  " + first.specHash() + "  sampler.K=5 learner.sigma=0.15  30          5   "
                + "0.15   32   1.0E-4  flink-embedded", lines.get(1));
        RunSpec second = sweep.points().get(1);
        assertEquals(lines.get(0).indexOf("HASH"), lines.get(2).indexOf(second.specHash(), second.runName().length()));
    }

    @Test
    void describeListsEverySetting() {
        Path file = SpecFiles.write(dir, "p.yaml", "dataset: {name: gmm}\n");
        RunSpec run = SpecFiles.loader(dir).loadPipeline(file, CommandLineValue.sets(List.of())).get(0);
        String text = RunTable.describe(run);
        assertTrue(text.startsWith("run p-" + run.specHash() + " (pipeline p, hash " + run.specHash() + ")\n"), text);
        assertTrue(text.contains("\n  learner.lr = 1.0E-4\n"), text);
        assertEquals(run.params().size() + 2, text.lines().count());
    }
}
