package dev.shortrun.pipeline;

import dev.shortrun.model.io.Safetensors;
import dev.shortrun.model.io.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A pipeline whose JVM is killed mid-training (SIGKILL, after its first checkpoint) and then run again resumes
 * from that checkpoint and ends with the same weights as an uninterrupted run.
 */
class WorkerRestartTest {
    private static final String ITERATIONS = "learner.iterations=400";

    @Test
    void killedRunResumesToTheSameWeights(@TempDir Path dir) throws Exception {
        Path spec = TinySpecs.toyPipeline(dir, "restart");
        List<String> sets = List.of("--set", ITERATIONS, "--set", "checkpoints.every=50", "--set", "steps=[]",
                "--runner", "direct");

        Path whole = dir.resolve("whole");
        assertEquals(0, cli(spec, whole, sets).waitFor(), "uninterrupted run failed");

        Path killed = dir.resolve("killed");
        Process first = cli(spec, killed, sets);
        Path firstCheckpoint = waitForCheckpoint(killed, first);
        first.destroyForcibly().waitFor();
        assertTrue(!Files.exists(checkpointsOf(killed).resolve("iter-000400.json")),
                "the run finished before it could be killed; make it longer");
        loseTrackedPointsAfter(killed, 20);

        Process again = cli(spec, killed, sets);
        assertEquals(0, again.waitFor(), "resumed run failed");
        assertTrue(Files.exists(firstCheckpoint), "the checkpoint the restart resumed from is gone");

        assertSameRun(whole, killed);

        // Killed before any checkpoint (only the final one is due): running it again starts the run over, in the
        // same run directory and tracking record, instead of refusing them as another run's.
        List<String> oneCheckpoint = new ArrayList<>(sets);
        oneCheckpoint.set(oneCheckpoint.indexOf("checkpoints.every=50"), "checkpoints.every=400");
        Path early = dir.resolve("early");
        Process started = cli(spec, early, oneCheckpoint);
        waitFor(() -> runDir(early).resolve("samples/iter-000001.png"), started);
        started.destroyForcibly().waitFor();
        assertTrue(!Files.exists(checkpointsOf(early).resolve("iter-000400.json")),
                "the run finished before it could be killed; make it longer");
        Process rerun = cli(spec, early, oneCheckpoint);
        assertEquals(0, rerun.waitFor(), "the run again after an early kill failed: "
                + Files.readString(early.resolveSibling("early.log")));
        assertSameRun(whole, early);
    }

    /**
     * Same final weights, bit for bit, and the same metrics history, in the run directory and in the tracking record
     * (where the steps the killed attempt logged past its checkpoint are not logged a second time).
     */
    private static void assertSameRun(Path expected, Path actual) throws Exception {
        Map<String, Tensor> a = Safetensors.read(checkpointsOf(expected).resolve("iter-000400.safetensors")).tensors();
        Map<String, Tensor> b = Safetensors.read(checkpointsOf(actual).resolve("iter-000400.safetensors")).tensors();
        a.forEach((name, t) -> assertArrayEquals(t.data(), b.get(name).data(), name));
        assertEquals(RunnersAgreeTest.withoutSeconds(runDir(expected).resolve("metrics.csv")),
                RunnersAgreeTest.withoutSeconds(runDir(actual).resolve("metrics.csv")));
        List<String> tracked = trackedPoints(expected);
        // ten per-iteration metrics less seconds (it differs between runs) and K, lr and sigma, constant in this
        // pipeline and so params, not curves (TrainingCurves)
        assertEquals(400 * 7, tracked.size(), "seven curves a step");
        assertEquals(tracked, trackedPoints(actual));
    }

    /**
     * Cuts the tracking record back to its first {@code iterations} steps, as a kill does to the points an MLflow run
     * still held in memory; the restart must fill them in again from the run's own metrics.
     */
    private static void loseTrackedPointsAfter(Path output, int iterations) throws Exception {
        Path csv = trackedCsv(output);
        List<String> rows = Files.readAllLines(csv);
        List<String> kept = rows.stream().filter(row -> !Character.isDigit(row.charAt(0))
                || Long.parseLong(row.substring(0, row.indexOf(','))) <= iterations).toList();
        assertTrue(kept.size() < rows.size(), "the killed attempt logged no step past " + iterations);
        Files.write(csv, kept);
    }

    private static Path trackedCsv(Path output) throws Exception {
        return output.resolve("restart/tracking").resolve(runDir(output).getFileName()).resolve("metrics.csv");
    }

    /** The local tracking record's metric rows as "step,key,value" (no timestamp, no seconds), sorted. */
    private static List<String> trackedPoints(Path output) throws Exception {
        return Files.readAllLines(trackedCsv(output)).stream().skip(1)
                .map(row -> row.substring(0, row.lastIndexOf(',')))
                .filter(row -> !row.contains(",seconds_per_iteration,")).sorted().toList();
    }

    private static Process cli(Path spec, Path output, List<String> sets) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true", "dev.shortrun.cli.Main", "run",
                spec.toString(), "--set", "output=" + output));
        cmd.addAll(sets);
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(output.resolveSibling(output.getFileName() + ".log").toFile()).start();
    }

    private static Path waitForCheckpoint(Path output, Process process) throws Exception {
        return waitFor(() -> checkpointsOf(output).resolve("iter-000050.json"), process);
    }

    /** Waits (up to 120 s) for a file whose path may only be known once the run directory exists. */
    private static Path waitFor(Callable<Path> file, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertTrue(process.isAlive(), "the run ended before " + file.call().getFileName() + " appeared");
            Path path = file.call();
            if (Files.exists(path)) {
                return path;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(file.call() + " did not appear within 120 s");
    }

    /** The run directory {@code output/restart/restart-<hash>} (a placeholder path before it exists). */
    private static Path runDir(Path output) throws Exception {
        Path root = output.resolve("restart");
        if (!Files.isDirectory(root)) {
            return root.resolve("not-yet");
        }
        try (Stream<Path> runs = Files.list(root)) {
            return runs.filter(p -> p.getFileName().toString().startsWith("restart-")).findFirst()
                    .orElse(root.resolve("not-yet"));
        }
    }

    private static Path checkpointsOf(Path output) throws Exception {
        return runDir(output).resolve("checkpoints");
    }
}
