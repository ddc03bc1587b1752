package dev.shortrun.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two processes on one run: while {@code shortrun run} trains a pipeline's run in its own JVM, the same pipeline run
 * again, and {@code train --resume} on its folder, are refused with one line naming the run folder and the training
 * process; once that process is killed with kill -9, its lock is taken over and the run continues. Before the lock,
 * both processes trained the same folder and logged every metric point twice.
 */
class RunFolderLockCliTest {
    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES) // without the lock the second run trains 100,000 iterations
    void aSecondProcessIsRefusedAndAKilledOwnersRunContinues(@TempDir Path tmp) throws Exception {
        Path spec = Files.writeString(tmp.resolve("twice.yaml"), String.join("\n", "name: twice",
                "dataset: {name: gmm}", "model: {n_f: 8}", "sampler: {K: 20}",
                "learner: {iterations: 100000, batch: 32}", "checkpoints: {every: 20, grid_every: 1000}",
                "steps: []", "resources: {parallelism: 1, threads_per_worker: 1}", ""));
        Path out = tmp.resolve("out");
        Process first = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true", Main.class.getName(), "run",
                spec.toString(), "--runner", "direct", "--set", "output=" + out).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("first.log").toFile()).start();
        Path run;
        try {
            run = firstCheckpoint(out, first, tmp.resolve("first.log")).getParent().getParent();
            String owner = Pattern.quote("run folder " + run.toRealPath() + " is in use (train by pid " + first.pid()
                    + " on host ") + "\\S+ since \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ" + Pattern.quote(
                    "); wait for it to finish or stop that process (the lock of a killed process is released by the "
                            + "OS)");

            CliEndToEndTest.Outcome again = CliEndToEndTest.cli("run", spec.toString(), "--runner", "direct",
                    "--set", "output=" + out);
            assertEquals(1, again.code(), again.err());
            List<String> errors = again.errLines().stream().filter(l -> l.startsWith("error:")).toList();
            assertEquals(1, errors.size(), again.err());
            // the pipeline's own guard (invocation.json, issue 18) refuses before the run folder's lock is reached
            assertTrue(errors.get(0).matches("error: twice is already running: \\S+invocation.json names \\S+ pid "
                    + first.pid() + "; wait for it .*"), errors.get(0));

            CliEndToEndTest.Outcome resume = CliEndToEndTest.cli("train", "--resume", "--out", run.toString(),
                    "--iterations", "100000");
            assertEquals(1, resume.code(), resume.err());
            assertEquals(1, resume.errLines().size(), resume.err());
            assertTrue(resume.errLines().get(0).matches("error: " + owner), resume.errLines().get(0));
            assertTrue(first.isAlive(), "the refused processes disturbed the first");
        } finally {
            first.destroyForcibly(); // SIGKILL: the lock file stays, the OS lock goes
            assertTrue(first.waitFor(60, TimeUnit.SECONDS));
        }
        long newest = newestIteration(run);
        CliEndToEndTest.Outcome continued = CliEndToEndTest.cli("train", "--resume", "--out", run.toString(),
                "--iterations", Long.toString(newest + 2));
        assertEquals(0, continued.code(), continued.err());
        assertTrue(continued.out().contains("done: " + (newest + 2) + " iterations"), continued.out());
    }

    /** Waits (up to 3 minutes) for the first checkpoint of the pipeline's run under {@code out}. */
    private static Path firstCheckpoint(Path out, Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline && p.isAlive()) {
            Optional<Path> found = find(out, "iter-000020.json");
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no first checkpoint:\n" + Files.readString(log));
    }

    private static Optional<Path> find(Path dir, String name) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().equals(name)).findFirst();
        }
    }

    private static long newestIteration(Path run) throws IOException {
        try (Stream<Path> files = Files.list(run.resolve("checkpoints"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("iter-\\d+\\.json"))
                    .mapToLong(n -> Long.parseLong(n.substring(5, 11))).max().orElseThrow();
        }
    }
}
