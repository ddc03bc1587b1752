package dev.shortrun.pipeline;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * infra/schedule with the real cron daemon (Debian cron; installed and started by install.sh when missing, and the
 * test fails, not skips, when that cannot be done): a schedule {@code * * * * *} of a tiny two-seed sweep fires
 * twice; the first firing records the baseline, the second is gated against it (compare exits 0 on the unchanged
 * build); MLflow is down throughout (a closed port) and both firings still finish; a firing started while cron's
 * firing runs is skipped by the lock, naming that firing's pid; the entry is removed at the end (also when the test
 * fails) and the rest of the crontab is as it was. Wall time: the wait for the next minute, then about two minutes.
 */
class ScheduledSweepCronTest {
    private static final String PREFIX = "shortrun-cron-test-";
    private static final Pattern FIRING_PID = Pattern.compile("firing \\S+ \\(pid (\\d+)");

    private final Path root = Path.of(System.getProperty("shortrun.root")).toAbsolutePath();
    private Path dir;
    private Path sweep;
    private Thread hook;

    @Test
    void cronFiresTwiceAndTheSecondFiringIsGatedAgainstTheFirst() throws Exception {
        removeStaleEntriesOfKilledTests();
        String crontabBefore = crontabOrEmpty();
        dir = Files.createTempDirectory(PREFIX + ProcessHandle.current().pid() + "-");
        hook = new Thread(this::removeQuietly);
        Runtime.getRuntime().addShutdownHook(hook);   // Ctrl-C or SIGTERM of the build: no entry left firing

        Files.writeString(dir.resolve("tiny.yaml"), String.join("\n",
                "name: cron-tiny",
                "dataset: {name: gmm}",
                "model: {n_f: 8}",
                "sampler: {K: 5}",
                "learner: {iterations: 6, batch: 32, lr: 1.0e-3}",
                "checkpoints: {every: 3, grid_every: 3}",
                "steps: [sample]",
                "sample: {n: 16, k_values: [0, 5]}",
                "runner: {kind: direct}",
                "resources: {parallelism: 2, threads_per_worker: 1}",
                ""));
        Path spec = dir.resolve("cron-sweep.yaml");
        Files.writeString(spec, String.join("\n",
                "base: tiny.yaml",
                "name: cron-sweep",
                "max_concurrency: 2",
                "axes:",
                "  seeds: [1, 2]",
                "objective: {metric: sample_grad_norm, direction: min}",
                "regression:",
                "  checks:",
                "    - {metric: sample_grad_norm, tolerance: 0.01, seeds: mean}",
                "    - {metric: f_diff, direction: max, tolerance: 0.05, seeds: mean}",
                ""));
        sweep = spec.toRealPath();
        Path state = dir.resolve("state");
        Path runs = dir.resolve("runs");
        Path log = state.resolve("schedule.log");
        int down = closedPort();
        String mlflow = "http://127.0.0.1:" + down;

        // shortrun as this build compiled it (the checkout's ./shortrun would rebuild it with Maven under cron); it
        // refuses to run once this test's JVM is gone, so an entry a killed test left behind costs nothing
        long me = ProcessHandle.current().pid();
        Path launcher = dir.resolve("shortrun-under-test");
        Files.writeString(launcher, String.join("\n",
                "#!/bin/sh",
                "kill -0 " + me + " 2>/dev/null || { echo \"the test that scheduled this (pid " + me + ") is gone: "
                        + "bash infra/schedule/remove.sh " + sweep + "\"; exit 1; }",
                "exec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '"
                        + System.getProperty("java.class.path") + "' -Dai.djl.offline=true -Dshortrun.home='" + root
                        + "' dev.shortrun.cli.Main \"$@\"",
                ""));
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));

        List<String> install = List.of("bash", "infra/schedule/install.sh", sweep.toString(), "--at", "* * * * *",
                "--state-dir", state.toString(), "--mlflow-uri", mlflow, "--set", "output=" + runs,
                "--launcher", launcher.toString());
        Result installed = sh(install, 600);
        assertEquals(0, installed.code, "infra/schedule/install.sh could not install the schedule (cron must be "
                + "installable with apt-get and its daemon startable):\n" + installed.output);
        Result again = sh(install, 120);                                   // idempotent: replaces, never adds
        assertEquals(0, again.code, again.output);
        assertTrue(again.output.contains("reinstalled"), again.output);
        long installedAt = System.nanoTime();
        List<String> entries = crontabOrEmpty().lines().filter(l -> l.endsWith(" sweep=" + sweep)).toList();
        assertEquals(1, entries.size(), "one entry per sweep:\n" + crontabOrEmpty());
        assertTrue(entries.get(0).startsWith("* * * * * "), entries.get(0));
        Result listed = sh(List.of("bash", "infra/schedule/list.sh"), 60);
        assertTrue(listed.output.contains("* * * * *  " + sweep) && listed.output.contains(log.toString()),
                listed.output);

        // cron's first firing: while it runs, another firing is refused by the lock
        String text = awaitLog(log, t -> t.contains("$ " + launcher + " sweep"), 90, "cron's first firing");
        Matcher m = FIRING_PID.matcher(text);
        assertTrue(m.find(), text);
        String firstPid = m.group(1);
        Result overlap = sh(List.of("bash", "infra/schedule/fire.sh", sweep.toString(), "--state-dir",
                state.toString(), "--launcher", launcher.toString(), "--set", "output=" + runs), 60);
        assertEquals(0, overlap.code, overlap.output);
        text = awaitLog(log, t -> t.contains("firing finished"), 150, "the end of the first firing");
        assertTrue(text.contains("skipped: previous firing still running (pid " + firstPid + ")"), text);
        assertTrue(text.contains("first scheduled firing: no previous run to compare against"), text);
        assertTrue(text.contains("baseline recorded: " + state.resolve("baseline.json")), text);
        assertTrue(text.contains("firing finished: exit 0"), text);
        assertTrue(Files.isRegularFile(state.resolve("baseline.json")));
        long firstSeconds = firingSeconds(text, 0);

        // cron's second firing: gated against the first (same code, same seeds: no regression)
        text = awaitLog(log, t -> count(t, "firing finished") >= 2, 180, "the end of the second firing");
        String start = "firing " + sweep + " (pid ";
        int at = text.indexOf(start, text.indexOf(start) + 1);
        String first = text.substring(0, at);
        String second = text.substring(at);
        assertTrue(second.contains("gate: comparing with " + state.resolve("baseline.json")), second);
        assertTrue(second.contains("$ " + launcher + " compare " + sweep + " --baseline"), second);
        assertTrue(Pattern.compile("metric +baseline +candidate +delta +verdict").matcher(second).find(), second);
        assertTrue(second.contains("PASS: 2 checks (2 pass)"), second);            // compare's table and verdict
        assertTrue(second.contains("gate verdict: PASS"), second);
        assertFalse(second.contains("REGRESSION"), second);
        assertTrue(second.contains("baseline recorded: "), second);
        assertTrue(second.contains("firing finished: exit 0"), second);
        long secondSeconds = firingSeconds(text, 1);
        long wall = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - installedAt);

        // MLflow down all along: both sweeps still ran and finished locally, tagged as scheduled
        for (String firing : List.of(first, second)) {
            assertTrue(firing.contains("WARN MLflow at " + mlflow + " unreachable"), firing);
            assertTrue(firing.contains("runs:    2 of 2 done, 0 running, 0 failed"), firing);
        }
        String tags = Files.readString(runs.resolve("cron-sweep/tracking/cron-sweep/tags.json"));
        assertTrue(tags.contains("\"trigger\": \"schedule\""), tags);
        // --fresh: the first firing's runs were moved aside, not reused
        try (Stream<Path> previous = Files.list(runs.resolve("cron-sweep/previous"))) {
            assertEquals(1, previous.count());
        }
        System.out.printf("ScheduledSweepCronTest: firings took %d s and %d s; %d s from install to the second's "
                + "end%n", firstSeconds, secondSeconds, wall);

        Result removed = sh(List.of("bash", "infra/schedule/remove.sh", sweep.toString()), 60);
        assertEquals(0, removed.code, removed.output);
        List<String> after = crontabOrEmpty().lines().toList();
        assertFalse(after.stream().anyMatch(l -> l.endsWith(" sweep=" + sweep)), String.join("\n", after));
        for (String line : crontabBefore.lines().toList()) {    // other entries (and comments) kept
            assertTrue(after.contains(line), "remove.sh lost the crontab line " + line);
        }
    }

    @AfterEach
    void removeTheEntry() throws Exception {
        if (hook != null) {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        if (sweep != null) {
            Result removed = sh(List.of("bash", "infra/schedule/remove.sh", sweep.toString()), 60);
            assertEquals(0, removed.code, removed.output);
            assertFalse(crontabOrEmpty().contains(" sweep=" + sweep), "the entry is still in the crontab:\n"
                    + crontabOrEmpty());
        }
        if (dir != null) {
            sh(List.of("rm", "-rf", dir.toString()), 60);
        }
    }

    private void removeQuietly() {
        try {
            new ProcessBuilder("bash", "infra/schedule/remove.sh", sweep.toString()).directory(root.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
                    .waitFor(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the JVM is going down anyway
        }
    }

    /** Entries of this checkout that a test killed before its cleanup left behind (its JVM is gone). */
    private void removeStaleEntriesOfKilledTests() throws Exception {
        Pattern stale = Pattern.compile(" checkout=" + Pattern.quote(root.toRealPath().toString()) + " sweep=(\\S*/"
                + PREFIX + "(\\d+)-[^/]*/cron-sweep\\.yaml)$");
        for (String line : crontabOrEmpty().lines().toList()) {
            Matcher m = stale.matcher(line);
            if (m.find() && ProcessHandle.of(Long.parseLong(m.group(2))).isEmpty()) {
                sh(List.of("bash", "infra/schedule/remove.sh", m.group(1)), 60);
            }
        }
    }

    private String awaitLog(Path log, java.util.function.Predicate<String> done, long seconds, String what)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        String text = "";
        while (System.nanoTime() < deadline) {
            text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            if (done.test(text)) {
                return text;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("cron did not get to " + what + " within " + seconds + " s; crontab:\n"
                + crontabOrEmpty() + "\nlog " + log + ":\n" + text);
    }

    /** The seconds the n-th firing reported ("firing finished: exit 0 after N s"). */
    private static long firingSeconds(String log, int n) {
        Matcher m = Pattern.compile("firing finished: exit \\d+ after (\\d+) s").matcher(log);
        for (int i = 0; i <= n; i++) {
            assertTrue(m.find(), log);
        }
        return Long.parseLong(m.group(1));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private String crontabOrEmpty() throws Exception {
        Result r = sh(List.of("bash", "-c", "command -v crontab >/dev/null || exit 0; crontab -l 2>/dev/null; "
                + "exit 0"), 30);
        return r.output;
    }

    private record Result(int code, String output) {
    }

    private Result sh(List<String> command, long seconds) throws Exception {
        Path out = Files.createTempFile("shortrun-cron-cmd-", ".txt");
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command)).directory(root.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not end within " + seconds + " s:\n" + Files.readString(out));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
