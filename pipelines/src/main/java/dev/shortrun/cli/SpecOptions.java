package dev.shortrun.cli;

import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** Options shared by run, sweep and validate: overrides of any spec key, and shortcuts for the common ones. */
final class SpecOptions {
    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override any spec key, e.g. --set learner.iterations=50 --set sampler.K=20 (repeatable).")
    List<String> sets = new ArrayList<>();

    @Option(names = "--runner", description = "flink-embedded (default), flink-cluster or direct "
            + "(same as --set runner.kind=...).")
    String runner;

    @Option(names = "--flink-master", paramLabel = "HOST:PORT",
            description = "Flink cluster REST address; implies --runner flink-cluster.")
    String flinkMaster;

    @Option(names = "--mlflow-uri", description = "MLflow tracking server (default: $MLFLOW_TRACKING_URI; unset = "
            + "local files only).")
    String mlflowUri;

    @Option(names = "--parallelism", description = "Concurrent runs (worker slots).")
    Integer parallelism;

    @Option(names = "--trigger", description = "Tag runs as manual, schedule or ci (default from the spec: manual).")
    String trigger;

    /** The overrides in spec-key form, shortcuts last so they win. */
    List<String> overrides() {
        List<String> all = new ArrayList<>(sets);
        if (flinkMaster != null) {
            all.add("runner.kind=flink-cluster");
            all.add("runner.flink_master=" + flinkMaster);
        }
        if (runner != null) {
            all.add("runner.kind=" + runner);
        }
        if (mlflowUri != null) {
            all.add("tracking.mlflow_uri=" + mlflowUri); // else the spec's, else $MLFLOW_TRACKING_URI
        }
        if (parallelism != null) {
            all.add("resources.parallelism=" + parallelism);
        }
        if (trigger != null) {
            all.add("tracking.trigger=" + trigger);
        }
        return all;
    }
}
