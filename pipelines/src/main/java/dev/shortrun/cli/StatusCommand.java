package dev.shortrun.cli;

import dev.shortrun.model.run.RunState;
import dev.shortrun.model.run.RunStateFile;
import dev.shortrun.pipeline.Invocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code shortrun status SWEEP_OR_RUN_DIR}: how far a pipeline or sweep (or one run) is, from any terminal that sees
 * its folder, while it runs here or on a Flink cluster, or after it ended. It reads the files the command and the
 * workers keep up to date ({@code invocation.json}, each run's {@code state.json}) and starts nothing.
 */
@Command(name = "status", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show how far a pipeline or sweep is (k of N runs done, running, failed; each run's progress "
                + "with rate and ETA), from any terminal, while it runs (embedded or on a Flink cluster) or after.",
                "Reads OUTPUT/NAME/invocation.json and each run's state.json; starts nothing."})
final class StatusCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SWEEP_OR_RUN_DIR", description = "The folder of a pipeline or sweep "
            + "(OUTPUT/NAME, e.g. runs/ci-smoke), or of one of its runs.")
    Path dir;

    @Option(names = {"-f", "--follow"}, description = "Then keep printing progress lines, as run and sweep do, "
            + "until the pipeline or sweep ends.")
    boolean follow;

    @Override
    public Integer call() throws Exception {
        Optional<Invocation> invocation = Files.isDirectory(dir) ? Invocation.read(dir) : Optional.empty();
        if (invocation.isPresent()) {
            Invocation inv = invocation.get();
            if (follow && !inv.ended()) {
                follow(inv);
                inv = Invocation.read(dir).orElse(inv);
            }
            System.out.print(overview(inv, dir, System.currentTimeMillis()));
            return 0;
        }
        Optional<RunState> state = Files.isDirectory(dir) ? RunStateFile.read(dir) : Optional.empty();
        if (state.isEmpty()) {
            throw new IllegalArgumentException("no " + Invocation.FILE + " or " + RunStateFile.NAME + " in " + dir
                    + ": give the folder of a pipeline or sweep (OUTPUT/NAME, e.g. runs/ci-smoke) or of one of its "
                    + "runs");
        }
        System.out.print(run(dir.getFileName().toString(), state.get(), System.currentTimeMillis()));
        return 0;
    }

    /** The progress lines of run and sweep, until the invocation ends (or its process is gone). */
    private void follow(Invocation inv) throws InterruptedException {
        try (ProgressBoard board = new ProgressBoard(System.out, dir, inv.points(), inv.startedMs(),
                Duration.ofSeconds(1))) {
            while (true) {
                Thread.sleep(1000);
                Invocation now = Invocation.read(dir).orElse(inv);
                if (!now.id().equals(inv.id()) || now.ended() || now.alive().orElse(true).equals(false)) {
                    return;
                }
            }
        }
    }

    /** The invocation, its counts and a line per run. */
    static String overview(Invocation inv, Path root, long nowMs) {
        boolean gone = !inv.ended() && inv.alive().orElse(true).equals(false);
        List<RunState> states = inv.points().stream().map(run -> RunStateFile.read(root.resolve(run)).orElse(null))
                .toList();
        // a run whose process is gone is no longer running, whatever its state says: counted as killed
        List<RunState> counted = states.stream().map(s -> gone && s != null && RunState.RUNNING.equals(s.status())
                ? s.end(RunState.KILLED, null, s.updatedMs()) : s).toList();
        StringBuilder text = new StringBuilder();
        text.append(inv.kind()).append(' ').append(inv.name()).append(" (").append(root.toAbsolutePath())
                .append("): ");
        if (gone) {
            text.append("stopped without ending: its process (").append(inv.client()).append(") is gone; the same "
                    + "command marks its running runs KILLED and continues them");
        } else if (inv.ended()) {
            text.append(inv.status()).append(" after ").append(StateText.duration(inv.endedMs() - inv.startedMs()));
        } else {
            text.append("RUNNING for ").append(StateText.duration(nowMs - inv.startedMs())).append(" (")
                    .append(inv.client()).append(')');
        }
        text.append("\n  runner ").append(inv.runner()).append(inv.flinkMaster() == null ? ""
                : " at " + inv.flinkMaster()).append(", code ").append(inv.code()).append('\n');
        text.append("runs: ").append(StateText.counts(counted)).append('\n');
        int width = inv.points().stream().mapToInt(String::length).max().orElse(0);
        for (int i = 0; i < states.size(); i++) {
            RunState s = states.get(i);
            String said = gone && s != null && RunState.RUNNING.equals(s.status())
                    ? "stopped at iteration " + s.iteration() + " of " + s.iterations() + " (its process is gone)"
                    : StateText.describe(s, inv.startedMs(), nowMs);
            text.append(String.format("  %-" + width + "s  %s%n", inv.points().get(i), said));
        }
        return text.toString();
    }

    /** One run's state in full. */
    static String run(String name, RunState s, long nowMs) {
        return String.format("run %s: %s%n  %s%n  iterations %d of %d; steps left %s%n  code %s, key %s%n"
                        + "  last written by %s, %s ago%n", name, s.status(), StateText.describe(s, 0, nowMs),
                s.iteration(), s.iterations(), s.pending().isEmpty() ? "none" : String.join(", ", s.pending()),
                s.code(), s.runKey(), s.worker(), StateText.duration(nowMs - s.updatedMs()));
    }
}
