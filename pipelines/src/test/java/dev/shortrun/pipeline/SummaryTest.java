package dev.shortrun.pipeline;

import dev.shortrun.config.CommandLineValue;
import dev.shortrun.config.SpecLoader;
import dev.shortrun.model.learning.IterationStats;
import dev.shortrun.steps.RunSpec;
import dev.shortrun.steps.StepResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The summary table carries the steps' numbers at each run's last checkpoint, one column per metric. */
class SummaryTest {
    @TempDir
    Path dir;

    @Test
    void stepMetricsOfTheLastCheckpointBecomeColumns() throws Exception {
        Path spec = Files.writeString(dir.resolve("toy.yaml"), "dataset:\n  name: gmm\nsteps: [density]\n");
        RunSpec run = new SpecLoader(Map.of(), dir).loadPipeline(spec, CommandLineValue.sets(List.of())).get(0);
        Path runDir = Files.createDirectories(Path.of(run.outputDir()));
        Files.writeString(runDir.resolve("metrics.csv"), "iteration,a,b,diff,grad,c,d,e,seconds\n"
                + "200,0,0,0.5,0.25,0,0,0,0.1\n");
        Path prefix = dir.resolve("results").resolve("toy-1");
        Files.createDirectories(prefix.getParent());
        Files.writeString(dir.resolve("results").resolve("toy-1-00000-of-00001"), String.join("\n",
                new StepResult(run.runName(), "density", 100, Map.of("kl_true_learned", 9.0, "kl_true_kde", 8.0),
                        List.of("a.png")).toJson(),
                new StepResult(run.runName(), "density", 200, Map.of("kl_true_learned", 3.5, "kl_true_kde", 0.25),
                        List.of("b.png")).toJson()) + "\n");

        Summary summary = Summary.collect(List.of(run), prefix);
        Summary.Row row = summary.rows().get(0);
        assertEquals(Map.of("kl_true_kde", 0.25, "kl_true_learned", 3.5), row.stepMetrics());
        assertEquals(2, row.pictures());
        List<String> csv = Files.readAllLines(summary.write(dir.resolve("summary.csv")));
        assertEquals("run,swept,iterations,f_diff,grad_norm,seconds_per_iteration,pictures,kl_true_kde,"
                + "kl_true_learned", csv.get(0));
        assertTrue(csv.get(1).endsWith(",2,0.25,3.5"), csv.get(1));
        String table = summary.render();
        assertTrue(table.lines().findFirst().orElseThrow().endsWith("kl_true_kde kl_true_learned"), table);
        assertTrue(table.contains("3.5"), table);
    }

    /** A run folder from before the metric names were unified (diff, seconds) sums up like a new one. */
    @Test
    void finalNumbersComeFromOldAndNewMetricsFilesAlike() throws Exception {
        Path spec = Files.writeString(dir.resolve("toy.yaml"), "dataset:\n  name: gmm\n");
        RunSpec run = new SpecLoader(Map.of(), dir).loadPipeline(spec, List.of()).get(0);
        Path runDir = Files.createDirectories(Path.of(run.outputDir()));
        String row = "300,0.5,0.25,0.25,2.0,100,1.0E-4,0.03,1.5,-0.5,0.125,4.0\n";
        for (String header : List.of("iteration,f_pos,f_neg,diff,grad_norm,K,lr,sigma,seconds,d_s_t,r_t,v_t",
                IterationStats.csvHeader())) {
            Files.writeString(runDir.resolve("metrics.csv"), header + "\n" + row);
            Summary.Row r = Summary.collect(List.of(run), dir.resolve("results").resolve("none")).rows().get(0);
            assertEquals(List.of(300L, 0.25, 2.0, 1.5), List.of(r.iterations(), r.fDiff(), r.gradNorm(),
                    r.secondsPerIteration()), header);
        }
    }
}
