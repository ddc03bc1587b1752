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

    /**
     * Adds records to the sweep's parent run (its last invocation's), locally and in MLflow when the sweep has a
     * tracking URI; false when the last invocation had no parent.
     */
    public boolean addToParent(Consumer<RunHandle> records) {
        Optional<Invocation> invocation = Invocation.read(root);
        if (invocation.isEmpty() || invocation.get().parentKey() == null) {
            return false;
        }
        RunSpec first = sweep.points().get(0);
        try (Tracker tracker = Trackers.fromUri(first.tracking().mlflowUri(), root.resolve("tracking"));
             RunHandle parent = tracker.startRun(first.tracking().experiment(), sweep.name(),
                     Map.of(Tracker.RUN_KEY_TAG, invocation.get().parentKey()), null, Tracker.Start.ADD)) {
            records.accept(parent);
        }
        return true;
    }
}
