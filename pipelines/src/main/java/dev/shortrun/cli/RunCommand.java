package dev.shortrun.cli;

import dev.shortrun.config.RunTable;
import dev.shortrun.config.SpecLoader;
import dev.shortrun.config.Sweep;
import dev.shortrun.model.io.Sha256;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.pipeline.PipelineGraph;
import dev.shortrun.pipeline.Runners;
import dev.shortrun.pipeline.Summary;
import dev.shortrun.steps.CodeVersion;
import dev.shortrun.steps.FinishedSteps;
import dev.shortrun.steps.RunSpec;
import dev.shortrun.steps.TrainStep;
import dev.shortrun.steps.tracking.CompositeRun;
import dev.shortrun.steps.tracking.RunHandle;
import dev.shortrun.steps.tracking.Tracker;
import dev.shortrun.steps.tracking.Trackers;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code shortrun run PIPELINE.yaml} and {@code shortrun sweep SWEEP.yaml}: resolve, run on Beam, summarise. */
final class RunCommand {
    private RunCommand() {
    }

    @Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Run a pipeline spec (pipelines/*.yaml): train, then the steps it names, on embedded "
                    + "Flink (default), a Flink cluster or Beam's DirectRunner.",
                    "Every run writes its directory (metrics, pictures, checkpoints, resolved spec) and, with an "
                            + "MLflow URI, logs params, metrics and artifacts there."})
    static final class Pipeline implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "PIPELINE.yaml", description = "The pipeline spec.")
        Path spec;

        @Mixin
        SpecOptions options;

        @Mixin
        StepReuse reuse;

        @Override
        public Integer call() throws Exception {
            if (ValidateCommand.isSweep(spec)) {
                throw new IllegalArgumentException(spec + " is a sweep (it has a top-level base:); run it with "
                        + "./shortrun sweep " + spec);
            }
            List<RunSpec> runs = new SpecLoader().loadPipeline(spec, options.overrides());
            return execute(runs.get(0).pipeline(), runs, runs.get(0).resources().parallelism(), false,
                    reuse.recompute);
        }
    }

    @Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Run a sweep spec (sweeps/*.yaml): one run per point, up to max_concurrency at once, "
                    + "under one MLflow parent run with a summary table."})
    static final class SweepRun implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SWEEP.yaml", description = "The sweep spec.")
        Path spec;

        @Mixin
        SpecOptions options;

        @Mixin
        StepReuse reuse;

        @Override
        public Integer call() throws Exception {
            if (!ValidateCommand.isSweep(spec)) {
                throw new IllegalArgumentException(spec + " is a pipeline, not a sweep (it has no top-level base:); "
                        + "run it with ./shortrun run " + spec);
            }
            Sweep sweep = new SpecLoader().loadSweep(spec, options.overrides());
            int slots = options.parallelismGiven() ? sweep.points().get(0).resources().parallelism()
                    : sweep.maxConcurrency();
            return execute(sweep.name(), sweep.points(), slots, true, reuse.recompute);
        }
    }

    /** Whether a pipeline run again reuses the checkpoint steps an earlier run finished (run and sweep). */
    static final class StepReuse {
        @Option(names = "--recompute-steps", description = "Run every checkpoint step (sample, score, diagnose, "
                + "...) again, even where an earlier run of the same spec finished it; without it those outcomes "
                + "are reused from RUN/steps/ and not logged twice.")
        boolean recompute;
    }

    /** A sweep is identified by the runs it resolves to: a hash over its points' spec hashes, in order. */
    static String sweepHash(List<RunSpec> runs) {
        return Sha256.hex(runs.stream().map(r -> r.specHash() + "\n").collect(Collectors.joining()))
                .substring(0, 12);
    }

    /** Workers open their own trackers, so they need the parent's id as MLflow knows it. */
    private static String parentId(RunHandle parent) {
        if (parent == null) {
            return null;
        }
        return parent instanceof CompositeRun composite ? composite.mlflowRunId() : parent.id();
    }

    static int execute(String name, List<RunSpec> runs, int parallelism, boolean sweep, boolean recomputeSteps)
            throws Exception {
        RunSpec first = runs.get(0);
        if (recomputeSteps) {
            for (RunSpec r : runs) {
                FinishedSteps.of(r).forget();
            }
        }
        Path outputRoot = Path.of(first.outputDir()).getParent();
        System.out.printf("%s %s: %d run(s), runner %s, parallelism %d%n", sweep ? "sweep" : "pipeline", name,
                runs.size(), first.runner().kind(), parallelism);
        System.out.print(RunTable.render(runs));
        // before any tracking run is opened: an unreachable Flink cluster fails here, in seconds
        PipelineOptions options = Runners.options(first.runner().kind(), first.runner().flinkMaster(), parallelism,
                "shortrun-" + name);
        try (Tracker tracker = Trackers.fromUri(first.tracking().mlflowUri(), outputRoot.resolve("tracking"));
             RunHandle parent = sweep ? tracker.startRun(first.tracking().experiment(), name, Map.of(
                     "mlflow.runName", name, "trigger", first.tracking().trigger(), "shortrun.git_commit",
                     CodeVersion.current(), "shortrun.sweep", name, "shortrun.spec_hash", sweepHash(runs)), null)
                     : null) {
            Path results = outputRoot.resolve("results").resolve(name + "-" + System.currentTimeMillis());
            PipelineResult result = PipelineGraph.build(runs, options, results, parentId(parent)).run();
            PipelineResult.State state = result.waitUntilFinish();
            Summary summary = Summary.collect(runs, results);
            Path table = summary.write(outputRoot.resolve("summaries").resolve(name + ".csv"));
            System.out.println();
            System.out.println(summary.render());
            System.out.println("state:   " + state);
            System.out.println("summary: " + table.toAbsolutePath());
            for (RunSpec r : runs) {
                Path runDir = Path.of(r.outputDir()).toAbsolutePath();
                Optional<String> url = new RunDirectory(runDir).trackingUrl();
                System.out.println("run:     " + runDir + (r.tracking().mlflowUri() != null && url.isPresent()
                        ? "\n         " + url.get() : ""));
            }
            if (parent != null) {
                parent.logArtifact(table, "");
                parent.finish(state == PipelineResult.State.DONE ? "FINISHED" : "FAILED");
                System.out.println("tracking: " + parent.url());
            } else if (first.tracking().mlflowUri() != null) {
                System.out.println("tracking: " + first.tracking().mlflowUri() + " (experiment "
                        + first.tracking().experiment() + ")");
            }
            return state == PipelineResult.State.DONE ? 0 : 1;
        }
    }
}
