package dev.shortrun.pipeline;

import dev.shortrun.cli.Main;
import dev.shortrun.model.io.Safetensors;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.run.RunDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
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
 * same sweep on embedded Flink bit for bit.
 */
class FlinkClusterTest {
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
        String overview = script("status.sh");
        assertTrue(overview.contains("\"jobs-finished\": 1") || overview.contains("\"jobs-finished\":1"),
                "the cluster ran the job: " + overview);
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
