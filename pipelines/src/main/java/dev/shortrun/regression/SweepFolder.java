package dev.shortrun.regression;

import dev.shortrun.config.Sweep;
import dev.shortrun.pipeline.Invocation;
import dev.shortrun.steps.RunSpec;
import dev.shortrun.steps.tracking.RunHandle;
import dev.shortrun.steps.tracking.Tracker;
import dev.shortrun.steps.tracking.Trackers;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** A resolved sweep's folder ({@code runs/<name>/}) and its MLflow parent run, as compare and baseline use them. */
public record SweepFolder(Sweep sweep, Path root) {
    public static SweepFolder of(Sweep sweep) {
        return new SweepFolder(sweep, Path.of(sweep.points().get(0).outputDir()).getParent());
    }

    /** Where compare writes its table and picture. */
    public Path regressionDir() {
        return root.resolve("regression");
    }

    /** Where {@link #addToParent} got its records to. */
    public enum Added {
        /** The last invocation had no parent run. */
        NO_PARENT,
        /** Its local record, and its MLflow run when the sweep has a tracking URI. */
        EVERYWHERE,
        /** Its local record only: the MLflow server could not be reached. */
        LOCALLY_ONLY
    }

    /** Adds records to the sweep's parent run (its last invocation's), locally and in MLflow. */
    public Added addToParent(Consumer<RunHandle> records) {
        Optional<Invocation> invocation = Invocation.read(root);
        if (invocation.isEmpty() || invocation.get().parentKey() == null) {
            return Added.NO_PARENT;
        }
        RunSpec first = sweep.points().get(0);
        Tracker tracker = Trackers.fromUri(first.tracking().mlflowUri(), root.resolve("tracking"));
        try (tracker; RunHandle parent = tracker.startRun(first.tracking().experiment(), sweep.name(),
                Map.of(Tracker.RUN_KEY_TAG, invocation.get().parentKey()), null, Tracker.Start.ADD)) {
            records.accept(parent);
        }
        return tracker.delivered() ? Added.EVERYWHERE : Added.LOCALLY_ONLY;
    }
}
