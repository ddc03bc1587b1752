package dev.shortrun.steps.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Records each run as a directory {@code root/<runName>/}; see {@link LocalRun} for the files. */
public final class LocalTracker implements Tracker {
    private final Path root;
    private final List<LocalRun> openRuns = new ArrayList<>();

    public LocalTracker(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath();
    }

    public Path root() {
        return root;
    }

    @Override
    public synchronized RunHandle startRun(
            String experiment, String runName, Map<String, String> tags, String parentRunId, Start start) {
        Objects.requireNonNull(runName, "runName");
        if (runName.isBlank() || runName.contains("/") || runName.contains("\\") || runName.startsWith(".")) {
            throw new IllegalArgumentException(
                    "runName must be a plain directory name (no slashes, not starting with '.'), got '" + runName + "'");
        }
        Path dir = root.resolve(runName);
        if (Files.exists(dir) && start == Start.NEW) {
            throw new IllegalStateException("local run directory " + dir
                    + " already exists; continue it (Start.CONTINUE) or choose another run name");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create local run directory " + dir, e);
        }
        LocalRun run = new LocalRun(dir, start != Start.ADD);
        run.setTag(LocalRun.EXPERIMENT_TAG, experiment == null ? "" : experiment);
        if (parentRunId != null) {
            run.setTag(LocalRun.PARENT_TAG, parentRunId);
        }
        if (tags != null) {
            tags.forEach(run::setTag);
        }
        openRuns.add(run);
        return run;
    }

    @Override
    public synchronized void close() {
        openRuns.forEach(LocalRun::close);
        openRuns.clear();
    }
}
