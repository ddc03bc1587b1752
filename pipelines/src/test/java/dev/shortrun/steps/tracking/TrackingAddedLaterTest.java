package dev.shortrun.steps.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shortrun.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A pipeline first run with local tracking only, then again with a real MLflow server: the finished run is neither
 * trained nor sampled again, yet MLflow gets its whole record (every iteration, the steps' numbers and pictures),
 * once, however often the pipeline runs after that; the local record never gets a point twice.
 */
class TrackingAddedLaterTest {
    @Test
    void aFinishedPipelineRunAgainWithMlflowLogsItsRecordThereOnce(@TempDir Path dir) throws Exception {
        Path spec = TinyPipeline.write(dir, "later");
        String experiment = "later-" + System.nanoTime();
        List<String> local = List.of("run", spec.toString(), "--runner", "direct", "--set",
                "output=" + dir.resolve("out"), "--set", "tracking.experiment=" + experiment);
        try (MlflowTestServer server = MlflowTestServer.fromEnvOrStart()) {
            List<String> withMlflow = Stream.concat(local.stream(), Stream.of("--mlflow-uri", server.uri())).toList();
            for (List<String> args : List.of(local, withMlflow, withMlflow, local)) {
                assertEquals(0, Main.run(args.toArray(String[]::new)), "run failed: " + args);
            }

            MlflowServerView view = new MlflowServerView(server.uri());
            List<String> runs = view.runIds(view.experimentId(experiment));
            assertEquals(1, runs.size(), "runs: " + runs);
            String id = runs.get(0);
            assertEquals(List.of(1.0, 2.0, 3.0, 4.0, 5.0, 6.0),
                    view.history(id, "f_diff").stream().map(p -> p[0]).toList(), "one point per iteration");
            assertEquals(List.of(3.0, 6.0), view.history(id, "sample_grad_norm").stream().map(p -> p[0]).toList());
            assertTrue(view.artifacts(id, "samples").containsKey("samples/fresh-iter-000006.png"),
                    "the sample step's picture");
        }
        try (Stream<Path> tracked = Files.list(dir.resolve("out/later/tracking"))) {
            Path csv = tracked.toList().get(0).resolve("metrics.csv");
            Set<String> points = new HashSet<>();
            for (String row : Files.readAllLines(csv).subList(1, Files.readAllLines(csv).size())) {
                String[] f = row.split(",");
                assertTrue(points.add(f[0] + "," + f[1]), "logged twice locally: " + row);
            }
        }
    }
}
