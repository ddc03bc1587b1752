package dev.shortrun.cli;

import com.google.gson.JsonObject;
import dev.shortrun.steps.tracking.MlflowServerView;
import dev.shortrun.steps.tracking.MlflowTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code compare --baseline mlflow:trigger=schedule} against a real MLflow server: the baseline is the newest earlier
 * FINISHED parent run of the sweep with that tag (its results.json, logged at the sweep's end), never the
 * candidate's own; the verdict, report and picture land on the candidate's parent run.
 */
class CompareWithMlflowBaselineTest {
    private static MlflowTestServer server;

    @BeforeAll
    static void startServer() {
        server = MlflowTestServer.fromEnvOrStart();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theBaselineIsTheLastEarlierScheduledParentAndTheVerdictLandsOnTheCandidate(@TempDir Path dir)
            throws Exception {
        Files.writeString(dir.resolve("toy.yaml"), String.join("\n", "name: toy", "dataset: {name: gmm}",
                "model: {n_f: 8}", "sampler: {K: 5}", "learner: {iterations: 20, batch: 32, lr: 1.0e-3}",
                "checkpoints: {every: 20, grid_every: 20}", "resources: {threads_per_worker: 1}", ""));
        String experiment = "gate-mlflow-" + System.nanoTime();
        Path sweep = Files.writeString(dir.resolve("nightly.yaml"), String.join("\n", "base: toy.yaml",
                "name: nightly", "set:", "  output: " + dir.resolve("runs"), "  runner.kind: direct",
                "  tracking.experiment: " + experiment, "axes:", "  seeds: [1, 2]", "regression:", "  checks:",
                "    - {metric: grad_norm, tolerance: 50%}", ""));
        String[] common = {"--mlflow-uri", server.uri(), "--trigger", "schedule"};
        assertEquals(0, run("sweep", sweep.toString(), common[0], common[1], common[2], common[3]).code());
        CliEndToEndTest.Outcome alone = run("compare", sweep.toString(), "--mlflow-uri", server.uri(), "--baseline",
                "mlflow:trigger=schedule");
        assertEquals(1, alone.code(), "its own parent is no baseline");
        assertTrue(alone.err().contains("no FINISHED parent run of sweep nightly"), alone.err());

        assertEquals(0, run("sweep", sweep.toString(), "--fresh", common[0], common[1], common[2], common[3])
                .code());
        MlflowServerView view = new MlflowServerView(server.uri());
        String experimentId = view.experimentId(experiment);
        List<JsonObject> parents = view.search(experimentId, "tags.`shortrun.sweep` = 'nightly'");
        assertEquals(2, parents.size(), "two scheduled parents");
        String first = parents.get(0).getAsJsonObject("info").get("run_id").getAsString();
        String second = parents.get(1).getAsJsonObject("info").get("run_id").getAsString();

        CliEndToEndTest.Outcome gated = run("compare", sweep.toString(), "--mlflow-uri", server.uri(),
                "--baseline", "mlflow:trigger=schedule");
        assertEquals(0, gated.code(), gated.out() + gated.err());
        assertTrue(gated.out().contains("/runs/" + first), "the first parent is the baseline:\n" + gated.out());
        assertTrue(gated.out().contains("PASS: 1 checks"), gated.out());
        assertEquals("pass", view.tags(second).get("regression.verdict"));
        assertTrue(view.artifacts(second, "regression").keySet().stream().anyMatch(p -> p.endsWith(".png")),
                "the gate's picture on the candidate's parent");
        assertTrue(view.artifacts(first, "results").containsKey("results/results.json"));
        // only parents with the asked tags qualify
        CliEndToEndTest.Outcome none = run("compare", sweep.toString(), "--mlflow-uri", server.uri(), "--baseline",
                "mlflow:trigger=ci");
        assertEquals(1, none.code());
    }

    private static CliEndToEndTest.Outcome run(String... args) {
        return CliEndToEndTest.cli(args);
    }
}
