package dev.shortrun.cli;

import dev.shortrun.config.RunTable;
import dev.shortrun.model.io.Sha256;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.run.RunState;
import dev.shortrun.model.run.RunStateFile;
import dev.shortrun.model.torch.Devices;
import dev.shortrun.pipeline.FlinkJobs;
import dev.shortrun.pipeline.Invocation;
import dev.shortrun.pipeline.PipelineGraph;
import dev.shortrun.pipeline.RunFolders;
import dev.shortrun.pipeline.Runners;
import dev.shortrun.pipeline.Summary;
import dev.shortrun.pipeline.SweepSummary;
import dev.shortrun.regression.BaselineSource;
import dev.shortrun.regression.SweepResults;
import dev.shortrun.steps.CodeVersion;
import dev.shortrun.steps.FinishedSteps;
import dev.shortrun.steps.RunLifecycle;
import dev.shortrun.steps.RunSpec;
import dev.shortrun.steps.tracking.CompositeRun;
import dev.shortrun.steps.tracking.RunHandle;
import dev.shortrun.steps.tracking.Tracker;
import dev.shortrun.steps.tracking.Trackers;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * One {@code shortrun run} or {@code shortrun sweep}, from the folders it finds to how every run ends.
 *
 * <ol>
 *   <li>An earlier invocation of the same name that still runs is refused; one that was killed outright (SIGKILL,
 *       no handler ran) gets its RUNNING runs marked KILLED, and its Flink cluster job cancelled.</li>
 *   <li>{@link RunFolders} decides what is reused: with the same code a finished run is reused and an unfinished one
 *       continues; results of other code are moved aside unless {@code --reuse-other-code}; {@code --fresh} moves
 *       everything aside.</li>
 *   <li>A sweep continues its MLflow parent (found by the key in {@code invocation.json}) while the code stays the
 *       same: a changed {@code --set} adds runs under it and leaves the others as they are.</li>
 *   <li>The pipeline runs with progress lines ({@link ProgressBoard}); Ctrl-C or SIGTERM cancels a cluster job and
 *       marks the RUNNING runs and the parent KILLED ({@link StopHandler}); runs no worker reached stay
 *       unrecorded.</li>
 *   <li>At the end each run is FINISHED or FAILED (its error printed), the parent FINISHED when all are, else
 *       FAILED.</li>
 * </ol>
 */
final class PipelineExecution {
    private static final String PARENT_KIND = "sweep";

    /**
     * What the user asked of reuse.
     *
     * @param recomputeSteps run every checkpoint step again
     */
    record Options(boolean recomputeSteps, RunFolders.Reuse reuse) {
    }

    private final String name;
    private final List<RunSpec> runs;
    private final int parallelism;
    private final boolean sweep;
    private final Options options;
    private final RunSpec first;
    private final Path root;
    private final String code = CodeVersion.current();
    private final PrintStream out = System.out;
    private final PrintStream err = System.err;
    /** Set by whichever ends the invocation first: the command when the pipeline is over, or a stop. */
    private final AtomicBoolean ending = new AtomicBoolean();
    private final CountDownLatch ended = new CountDownLatch(1);

    PipelineExecution(String name, List<RunSpec> runs, int parallelism, boolean sweep, Options options) {
        this.name = name;
        this.runs = List.copyOf(runs);
        this.parallelism = parallelism;
        this.sweep = sweep;
        this.options = options;
        this.first = runs.get(0);
        this.root = Path.of(first.outputDir()).getParent();
    }

    /** A sweep is identified by the runs it resolves to: a hash over its points' spec hashes, in order. */
    static String sweepHash(List<RunSpec> runs) {
        return Sha256.hex(runs.stream().map(r -> r.specHash() + "\n").collect(Collectors.joining()))
                .substring(0, 12);
    }

    int run() throws Exception {
        if ("flink-cluster".equals(first.runner().kind()) && first.runner().flinkMaster() != null) {
            // before anything is moved, queued or recorded: an unreachable cluster fails here, in seconds
            Runners.requireReachable(first.runner().flinkMaster(), Duration.ofSeconds(5));
        } else {
            // the runs train on this machine: a device it cannot give fails here, not run by run after Flink started
            runs.stream().map(r -> r.resources().device()).distinct().forEach(d -> Devices.use(d).close());
        }
        Optional<Invocation> previous = Invocation.read(root);
        if (previous.isPresent()) {
            recover(previous.get());
        }
        if (options.recomputeSteps()) {
            for (RunSpec r : runs) {
                FinishedSteps.of(r).forget();
            }
        }
        Path aside = RunFolders.aside(root);
        String parentKey = sweep ? parentKey(previous.orElse(null), aside) : null;
        Invocation invocation = Invocation.start(name, sweep ? PARENT_KIND : "pipeline", code, parentKey,
                first.runner().kind(), first.runner().flinkMaster(), runs.stream().map(RunSpec::runName).toList());
        invocation.enter();
        try {
            RunFolders.Plan plan = RunFolders.prepare(runs, root, aside, code, invocation.id(), options.reuse());
            invocation.write(root);
            out.printf("%s %s: %d run(s), runner %s, parallelism %d%n", sweep ? "sweep" : "pipeline", name,
                    runs.size(), first.runner().kind(), parallelism);
            out.print(RunTable.render(runs));
            out.println(describe(plan));
            return execute(invocation);
        } catch (RuntimeException | Error e) {
            if (Invocation.read(root).map(i -> !i.ended() && i.id().equals(invocation.id())).orElse(false)) {
                invocation.ended(RunState.FAILED).write(root);
            }
            throw e;
        } finally {
            ended.countDown();
            invocation.leave();
        }
    }

    private int execute(Invocation invocation) throws Exception {
        Path results = root.resolve("results").resolve(name + "-" + System.currentTimeMillis());
        PipelineOptions pipelineOptions = Runners.options(first.runner().kind(), first.runner().flinkMaster(),
                parallelism, invocation.jobName());
        try (Tracker tracker = Trackers.fromUri(first.tracking().mlflowUri(), root.resolve("tracking"));
             RunHandle parent = sweep ? tracker.startRun(first.tracking().experiment(), name,
                     parentTags(invocation), null, Tracker.Start.CONTINUE) : null;
             StopHandler stop = new StopHandler(() -> stop(invocation, parent));
             ProgressBoard board = new ProgressBoard(err, root, invocation.points(), invocation.startedMs(),
                     Duration.ofSeconds(1))) {
            if (parent != null) {
                SweepSummary.start(parent, runs);
            }
            RuntimeException failure = null;
            PipelineResult.State state = null;
            try {
                state = PipelineGraph.build(runs, pipelineOptions, results, parentId(parent)).run()
                        .waitUntilFinish();
            } catch (RuntimeException e) {
                failure = e;
            }
            if (!ending.compareAndSet(false, true)) {
                stop.awaitStop(); // stopped: the handler ends the runs
                return 130;
            }
            board.close();
            String why = failure != null ? "the pipeline failed: " + ErrorLine.of(failure)
                    : "the pipeline ended (" + state + ") before this run did";
            for (RunSpec r : runs) {
                RunLifecycle.of(r).endIfRunning(RunState.FAILED, why); // none, unless the runner itself failed
            }
            List<RunState> states = runs.stream().map(r -> RunStateFile.read(Path.of(r.outputDir())).orElse(null))
                    .toList();
            boolean allFinished = states.stream().allMatch(s -> s != null && RunState.FINISHED.equals(s.status()));
            Summary summary = Summary.collect(runs, results);
            Path table = summary.write(root.resolve("summaries").resolve(name + ".csv"));
            out.println();
            out.println(summary.render());
            out.println("runs:    " + StateText.counts(states));
            out.println("summary: " + table.toAbsolutePath());
            for (RunSpec r : runs) {
                Path runDir = Path.of(r.outputDir()).toAbsolutePath();
                Optional<String> url = new RunDirectory(runDir).trackingUrl();
                out.println("run:     " + runDir + (r.tracking().mlflowUri() != null && url.isPresent()
                        ? "\n         " + url.get() : ""));
            }
            if (parent != null) {
                parent.logArtifact(table, "");
                SweepSummary.finish(parent, runs, summary, results, table);
                logResults(parent, invocation);
                parent.setTag("shortrun.runs", StateText.counts(states));
                parent.finish(allFinished ? RunHandle.FINISHED : RunHandle.FAILED);
                out.println("tracking: " + parent.url());
            } else if (first.tracking().mlflowUri() != null) {
                out.println("tracking: " + first.tracking().mlflowUri() + " (experiment "
                        + first.tracking().experiment() + ")");
            }
            invocation.ended(allFinished ? RunState.FINISHED : RunState.FAILED).write(root);
            if (failure != null) {
                throw failure;
            }
            states.stream().filter(s -> s != null && RunState.FAILED.equals(s.status()))
                    .forEach(s -> err.println("error: " + s.error()));
            return allFinished ? 0 : 1;
        }
    }

    /**
     * The sweep's results as a baseline file on its parent run ({@code compare --baseline mlflow} reads it), and
     * beside the summary table.
     */
    private void logResults(RunHandle parent, Invocation invocation) {
        Path file = root.resolve("summaries").resolve(Path.of(BaselineSource.RESULTS_ARTIFACT).getFileName());
        try {
            SweepResults.collect(root, name, code, invocation.points()).write(file);
        } catch (IOException | RuntimeException e) { // a run that never started has no numbers to read
            err.println("warning: no " + file.getFileName() + " for this sweep: " + ErrorLine.of(e));
            return;
        }
        parent.logArtifact(file, Path.of(BaselineSource.RESULTS_ARTIFACT).getParent().toString());
    }

    /**
     * SIGINT or SIGTERM: the workers of this process stop changing anything, a cluster's job is cancelled, the
     * RUNNING runs and the parent end KILLED. Runs no worker reached have no record and stay QUEUED.
     */
    private void stop(Invocation invocation, RunHandle parent) {
        // claim the ending before the workers are stopped: stopped workers fail the pipeline at once, and the command
        // must then not take that for an end of its own (it would leave the runs RUNNING: stopped records are frozen)
        if (!ending.compareAndSet(false, true)) {
            awaitEnd(); // the pipeline was over: the command is ending the runs itself
            return;
        }
        RunLifecycle.stopProcess();
        err.println();
        err.println("stopping " + name + ": marking its running runs KILLED ...");
        if (invocation.flinkMaster() != null) {
            cancelJob(invocation, "this invocation's");
        }
        // an interrupted thread cannot write a file (its channels close at once), which would leave a run RUNNING:
        // clear the flag while the runs are marked (a stopping runner may interrupt this thread)
        boolean interrupted = Thread.interrupted();
        for (RunSpec r : runs) {
            try {
                RunLifecycle.of(r).endIfRunning(RunState.KILLED, null);
            } catch (RuntimeException e) {
                err.println("warning: could not mark " + r.runName() + " KILLED: " + ErrorLine.of(e));
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        // the cluster's workers may have marked theirs as they stopped
        long killed = runs.stream().map(r -> RunStateFile.read(Path.of(r.outputDir())).orElse(null))
                .filter(s -> s != null && RunState.KILLED.equals(s.status())).count();
        if (parent != null) {
            parent.finish(RunHandle.KILLED);
            parent.close();
        }
        invocation.ended(RunState.KILLED).write(root);
        err.println("stopped: " + killed + " run(s) KILLED; the same command continues them where they stopped");
    }

    private void awaitEnd() {
        try {
            ended.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * An earlier invocation that has not ended: refused while its process runs; when that process is gone (killed
     * outright), its job is cancelled and its RUNNING runs (and parent) end KILLED.
     */
    private void recover(Invocation earlier) {
        if (earlier.ended()) {
            return;
        }
        Optional<Boolean> alive = earlier.alive();
        if (alive.isEmpty() || alive.get()) {
            throw new IllegalStateException(name + " is already running: " + root.resolve(Invocation.FILE)
                    + " names " + earlier.client() + (alive.isEmpty() ? " on another host" : "") + "; wait for it "
                    + "(./shortrun status " + root + ") or stop it (kill -INT " + earlier.client().pid() + ")");
        }
        if (earlier.flinkMaster() != null) {
            cancelJob(earlier, "the killed invocation's");
        }
        int killed = 0;
        for (String run : earlier.points()) {
            Path spec = root.resolve(run).resolve("spec.json");
            Optional<RunState> state = Files.isRegularFile(spec) ? RunStateFile.read(root.resolve(run))
                    : Optional.empty();
            if (state.isPresent() && RunState.RUNNING.equals(state.get().status())) {
                try {
                    killed += RunLifecycle.of(RunSpec.fromJson(Files.readString(spec))).endIfRunning(RunState.KILLED,
                            null) ? 1 : 0;
                } catch (IOException e) {
                    throw new IllegalStateException("cannot read " + spec + ": " + e.getMessage(), e);
                }
            }
        }
        if (earlier.parentKey() != null) {
            try (Tracker tracker = Trackers.fromUri(first.tracking().mlflowUri(), root.resolve("tracking"));
                 RunHandle parent = tracker.startRun(first.tracking().experiment(), earlier.name(),
                         Map.of(Tracker.RUN_KEY_TAG, earlier.parentKey()), null, Tracker.Start.ADD)) {
                parent.finish(RunHandle.KILLED);
            }
        }
        earlier.ended(RunState.KILLED).write(root);
        err.println("the earlier " + earlier.kind() + " " + earlier.name() + " (" + earlier.client()
                + ") was killed: " + killed + " of its runs marked KILLED");
    }

    private void cancelJob(Invocation invocation, String whose) {
        try {
            FlinkJobs jobs = new FlinkJobs(invocation.flinkMaster());
            Optional<String> job = jobs.running(invocation.jobName());
            if (job.isPresent()) {
                boolean ended = jobs.cancel(job.get(), Duration.ofSeconds(20));
                err.println("cancelled " + whose + " Flink job " + invocation.jobName() + " (" + job.get() + ") on "
                        + invocation.flinkMaster() + (ended ? "" : "; it has not ended yet"));
            }
        } catch (IOException e) {
            err.println("warning: could not cancel " + whose + " Flink job " + invocation.jobName() + " on "
                    + invocation.flinkMaster() + ": " + e.getMessage());
        }
    }

    /**
     * The parent's key: the earlier invocation's while the code is the same (or other code's results are reused)
     * and nothing asks for a fresh start; else a new one, and the old parent's local record is moved aside.
     */
    private String parentKey(Invocation earlier, Path aside) {
        boolean same = earlier != null && earlier.parentKey() != null && !options.reuse().fresh()
                && (options.reuse().otherCode() || code.equals(earlier.code()));
        if (same) {
            return earlier.parentKey();
        }
        RunFolders.moveParentAside(root, aside, name);
        return UUID.randomUUID().toString();
    }

    private Map<String, String> parentTags(Invocation invocation) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("mlflow.runName", name);
        tags.put("trigger", first.tracking().trigger());
        tags.put("shortrun.git_commit", code);
        tags.put("shortrun.sweep", name);
        tags.put("shortrun.spec_hash", sweepHash(runs));
        tags.put(Tracker.RUN_KEY_TAG, invocation.parentKey());
        return tags;
    }

    /** Workers open their own trackers, so they need the parent's id as MLflow knows it. */
    private static String parentId(RunHandle parent) {
        if (parent == null) {
            return null;
        }
        return parent instanceof CompositeRun composite ? composite.mlflowRunId() : parent.id();
    }

    private String describe(RunFolders.Plan plan) {
        List<String> parts = new ArrayList<>();
        if (!plan.finished().isEmpty()) {
            parts.add(plan.finished().size() + " finished earlier (reused)");
        }
        if (!plan.continued().isEmpty()) {
            parts.add(plan.continued().size() + " continue where they stopped");
        }
        if (!plan.fresh().isEmpty()) {
            parts.add(plan.fresh().size() + " start now");
        }
        String moved = plan.movedTo() == null ? "" : "\nmoved earlier results " + (options.reuse().fresh()
                ? "(--fresh)" : "of other code (now " + code + "; --reuse-other-code keeps them)") + " to "
                + plan.movedTo();
        return "runs:    " + String.join(", ", parts) + moved;
    }
}
