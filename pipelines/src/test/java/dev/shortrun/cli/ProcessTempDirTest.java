package dev.shortrun.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Embedded Flink's temp files (a 22 MB flink-rpc-akka jar, minicluster_* and flink-web-upload folders) do not outlive
 * a shortrun process: they go into its own temp folder, deleted at exit, or by the next shortrun after a kill -9.
 */
class ProcessTempDirTest {
    @Test
    void anEmbeddedFlinkRunLeavesNothingInTheTempFolder(@TempDir Path dir) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Process run = cli(dir, tmp, "run", "3");
        assertTrue(run.waitFor(600, TimeUnit.SECONDS), "the run did not finish");
        assertEquals(0, run.exitValue(), Files.readString(dir.resolve("cli.log")));
        assertEquals(List.of(), names(tmp), "left in java.io.tmpdir");
    }

    @Test
    void whatAKilledRunLeftIsRemovedByTheNextStart(@TempDir Path dir) throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Process run = cli(dir, tmp, "killed", "100000");
        Path own = tmp.resolve("shortrun-tmp-" + run.pid());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (names(own).stream().noneMatch(n -> n.startsWith("minicluster_")) && System.nanoTime() < deadline) {
            assertTrue(run.isAlive(), () -> "the run ended early: " + read(dir.resolve("cli.log")));
            Thread.sleep(100);
        }
        run.destroyForcibly().waitFor();
        assertTrue(names(own).stream().anyMatch(n -> n.startsWith("minicluster_")), "Flink's files: " + names(own));

        Path stranger = Files.createDirectories(tmp.resolve("shortrun-tmp-999999999")); // no marker: not ours
        assertEquals(1, ProcessTempDir.removeStale(tmp));
        assertEquals(List.of(stranger.getFileName().toString()), names(tmp));
    }

    /** {@code shortrun run} of a 2D-toy pipeline on embedded Flink in a JVM of its own, temp folder {@code tmp}. */
    private static Process cli(Path dir, Path tmp, String name, String iterations) throws IOException {
        Path spec = Files.writeString(dir.resolve(name + ".yaml"), String.join("\n", "name: " + name,
                "dataset: {name: gmm}", "model: {n_f: 8}", "sampler: {K: 5}", "learner: {batch: 32}",
                "steps: []", "resources: {parallelism: 1, threads_per_worker: 1}", ""));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true", "-Djava.io.tmpdir=" + tmp,
                Main.class.getName(), "run", spec.toString(), "--runner", "flink-embedded",
                "--set", "output=" + dir.resolve("runs"), "--set", "learner.iterations=" + iterations));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("cli.log").toFile())
                .start();
    }

    private static List<String> names(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
