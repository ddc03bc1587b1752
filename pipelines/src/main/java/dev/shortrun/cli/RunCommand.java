package dev.shortrun.cli;

import dev.shortrun.config.SpecLoader;
import dev.shortrun.config.Sweep;
import dev.shortrun.pipeline.RunFolders;
import dev.shortrun.steps.RunSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code shortrun run PIPELINE.yaml} and {@code shortrun sweep SWEEP.yaml}: resolve, run on Beam, summarise. */
final class RunCommand {
    private RunCommand() {
    }

    @Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Run a pipeline spec (pipelines/*.yaml): train, then the steps it names, on embedded "
                    + "Flink (default), a Flink cluster or Beam's DirectRunner.",
                    "Every run writes its directory (metrics, pictures, checkpoints, resolved spec) and, with an "
                            + "MLflow URI, logs params, metrics and artifacts there.",
                    "Run again, it reuses what the same code finished and continues what it did not (Ctrl-C marks "
                            + "running runs KILLED); ./shortrun status OUTPUT/NAME shows progress from anywhere."})
    static final class Pipeline implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "PIPELINE.yaml", description = "The pipeline spec.")
        Path spec;

        @Mixin
        SpecOptions options;

        @Mixin
        Reuse reuse;

        @Spec
        CommandSpec command;

        @Override
        public Integer call() throws Exception {
            if (ValidateCommand.isSweep(spec)) {
                throw new IllegalArgumentException(spec + " is a sweep (it has a top-level base:); run it with "
                        + "./shortrun sweep " + spec);
            }
            List<RunSpec> runs = Launches.stamp(new SpecLoader().loadPipeline(spec, options.overrides()), command);
            return new PipelineExecution(runs.get(0).pipeline(), runs, runs.get(0).resources().parallelism(), false,
                    reuse.options()).run();
        }
    }

    @Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Run a sweep spec (sweeps/*.yaml): one run per point, up to max_concurrency at once, "
                    + "under one MLflow parent run with a summary table.",
                    "Run again with the same code, it continues under the same parent: finished points are reused, "
                            + "unfinished ones continue, points a changed --set adds are new children; Ctrl-C marks "
                            + "running points KILLED; ./shortrun status OUTPUT/NAME shows progress from anywhere."})
    static final class SweepRun implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SWEEP.yaml", description = "The sweep spec.")
        Path spec;

        @Mixin
        SpecOptions options;

        @Mixin
        Reuse reuse;

        @Spec
        CommandSpec command;

        @Override
        public Integer call() throws Exception {
            if (!ValidateCommand.isSweep(spec)) {
                throw new IllegalArgumentException(spec + " is a pipeline, not a sweep (it has no top-level base:); "
                        + "run it with ./shortrun run " + spec);
            }
            Sweep sweep = new SpecLoader().loadSweep(spec, options.overrides());
            int slots = options.parallelismGiven() ? sweep.points().get(0).resources().parallelism()
                    : sweep.maxConcurrency();
            return new PipelineExecution(sweep.name(), Launches.stamp(sweep.points(), command), slots, true, reuse.options()).run();
        }
    }

    /** What a pipeline or sweep run again reuses (run and sweep). */
    static final class Reuse {
        @Option(names = "--recompute-steps", description = "Run every checkpoint step (sample, score, diagnose, "
                + "...) again, even where an earlier run of the same spec finished it; without it those outcomes "
                + "are reused from RUN/steps/ and not logged twice.")
        boolean recompute;

        @Option(names = "--fresh", description = "Start every run over: earlier results of these runs (their "
                + "folders and local tracking records) are moved to OUTPUT/NAME/previous/, and they become new runs "
                + "in MLflow, under a new parent for a sweep. Without it, a finished run is reused and an unfinished "
                + "one continues from its newest checkpoint, as long as the code is the same.")
        boolean fresh;

        @Option(names = "--reuse-other-code", description = "Reuse and continue results that another version of "
                + "shortrun computed (another commit, or other uncommitted changes). Without it they are moved to "
                + "OUTPUT/NAME/previous/ and computed again: results are never reused across code versions unasked.")
        boolean otherCode;

        PipelineExecution.Options options() {
            if (fresh && otherCode) {
                throw new IllegalArgumentException("--fresh and --reuse-other-code contradict each other: --fresh "
                        + "reuses nothing");
            }
            return new PipelineExecution.Options(recompute, new RunFolders.Reuse(fresh, otherCode));
        }
    }
}
