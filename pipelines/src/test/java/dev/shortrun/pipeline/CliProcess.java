package dev.shortrun.pipeline;

import dev.shortrun.model.run.RunState;
import dev.shortrun.model.run.RunStateFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code shortrun} in a process of its own, for tests that stop it with real signals. It starts with SIGINT at its
 * default action (python3 resets it, then becomes java): a process a shell starts in the background inherits SIGINT
 * ignored, and a JVM keeps it ignored, so Ctrl-C would never reach it.
 */
public final class CliProcess implements AutoCloseable {
    private static final String DEFAULT_SIGINT = "import os, signal, sys; "
            + "signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp(sys.argv[1], sys.argv[1:])";
    private final Process process;
    private final Path log;

    private CliProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code shortrun args...}; its output goes to {@code log}. */
    public static CliProcess start(Path log, String... args) throws IOException {
        return start(log, java.util.Map.of(), args);
    }

    /** Starts {@code shortrun args...} with these environment variables added. */
    public static CliProcess start(Path log, java.util.Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("python3", "-c", DEFAULT_SIGINT,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "-Dai.djl.offline=true", "dev.shortrun.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new CliProcess(builder.start(), log);
    }

    /** Runs {@code shortrun args...} to its end and returns its output (failing after {@code seconds}). */
    public static String run(Path log, long seconds, String... args) throws Exception {
        try (CliProcess p = start(log, args)) {
            p.waitFor(seconds);
            return p.output();
        }
    }

    public long pid() {
        return process.pid();
    }

    /** Sends {@code signal} (INT, TERM, KILL) as kill(1) does. */
    public void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " failed");
    }

    /** Its exit code, waiting at most {@code seconds}. */
    public int waitFor(long seconds) throws Exception {
        assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), "shortrun did not end within " + seconds + " s:\n"
                + output());
        return process.exitValue();
    }

    public String output() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /**
     * Waits (at most {@code seconds}) until a run of the invocation in {@code root} has a state that {@code test}
     * accepts, and returns that run's folder; fails if the process ends first.
     */
    public Path awaitRun(Path root, Predicate<RunState> test, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            assertTrue(process.isAlive(), "shortrun ended while waiting for a run's state:\n" + output());
            Optional<Invocation> invocation = Files.isRegularFile(root.resolve(Invocation.FILE))
                    ? Invocation.read(root) : Optional.empty();
            for (String run : invocation.map(Invocation::points).orElse(List.of())) {
                Optional<RunState> state = RunStateFile.read(root.resolve(run));
                if (state.isPresent() && test.test(state.get())) {
                    return root.resolve(run);
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no run in " + root + " got there within " + seconds + " s:\n" + output());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
