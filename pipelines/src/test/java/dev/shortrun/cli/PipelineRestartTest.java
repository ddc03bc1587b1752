package dev.shortrun.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pipeline run that diverges (the 2D toy at Adam lr 0.5, as in CliEndToEndTest) with
 * {@code learner.on_divergence: restart} restarts itself and finishes; its restarts are in the run's tracking record
 * (metric {@code restarts}, tags {@code shortrun.restarts*}) and the pipeline's summary.
 */
class PipelineRestartTest {
    @Test
    void aDivergingPipelineRunRestartsAndRecordsIt(@TempDir Path tmp) throws IOException {
        Path spec = Files.writeString(tmp.resolve("recover.yaml"), String.join("\n", "name: recover",
                "dataset: {name: gmm}", "model: {n_f: 8}", "sampler: {K: 5}",
                "learner: {iterations: 40, batch: 32, lr: 0.5, on_divergence: restart, restart_lr_factor: 0.01}",
                "checkpoints: {every: 10, grid_every: 100}", "steps: []", "resources: {threads_per_worker: 1}", ""));
        Path out = tmp.resolve("out");
        CliEndToEndTest.Outcome o = CliEndToEndTest.cli("run", spec.toString(), "--runner", "direct", "--set",
                "output=" + out);
        assertEquals(0, o.code(), o.err());
        assertTrue(o.err().contains("restart 1: diverged at iteration "), o.err());
        Path tracking;
        try (Stream<Path> runs = Files.list(out.resolve("recover/tracking"))) {
            tracking = runs.findFirst().orElseThrow();
        }
        String tags = Files.readString(tracking.resolve("tags.json"));
        assertTrue(tags.contains("\"shortrun.restarts\"") && tags.contains("\"shortrun.restarts.1\""), tags);
        assertTrue(Files.readString(tracking.resolve("metrics.csv")).lines().anyMatch(l -> l.contains(",restarts,1")),
                "no restarts metric in the tracking record");
        List<String> summary = Files.readAllLines(out.resolve("recover/summaries/recover.csv"));
        List<String> columns = List.of(summary.get(0).split(","));
        assertTrue(columns.contains("restarts"), summary.get(0));
        assertTrue(summary.get(1).contains(",40,"), "the run finished: " + summary.get(1));
        double restarts = Double.parseDouble(summary.get(1).split(",")[columns.indexOf("restarts")]);
        assertTrue(restarts >= 1, summary.get(1));
    }
}
