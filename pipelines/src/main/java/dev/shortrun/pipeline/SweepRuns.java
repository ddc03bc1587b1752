package dev.shortrun.pipeline;

import dev.shortrun.model.learning.IterationMetrics;
import dev.shortrun.model.learning.IterationStats;
import dev.shortrun.model.run.MetricsLog;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.run.RunState;
import dev.shortrun.model.run.RunStateFile;
import dev.shortrun.steps.FinishedSteps;
import dev.shortrun.steps.RunSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the last {@code run} or {@code sweep} of a name left in {@code <output>/<name>/}: the runs its
 * {@code invocation.json} lists, each read back from its own folder ({@code spec.json}, {@code state.json}, the last
 * line of {@code metrics.csv}, the step records in {@code steps/}). The run folders are the record that survives
 * reruns, kills and reuse; the per-invocation results files are not read.
 *
 * @param root       {@code <output>/<name>}
 * @param invocation the last invocation of the name
 * @param runs       its runs in the invocation's order, finished or not
 */
public record SweepRuns(Path root, Invocation invocation, List<Run> runs) {
    /**
     * One run as its folder records it.
     *
     * @param status      FINISHED, RUNNING, ...; QUEUED when its folder has no state yet
     * @param iterations  the last iteration in its metrics.csv (0 when none)
     * @param training    the training metrics of that iteration ({@code f_diff}, {@code grad_norm}, ...)
     * @param stepMetrics the checkpoint steps' numbers at its last checkpoint that has any
     */
    public record Run(String name, Path dir, RunSpec spec, String status, long iterations,
                      SortedMap<String, Double> training, SortedMap<String, Double> stepMetrics) {
        public boolean finished() {
            return RunState.FINISHED.equals(status);
        }

        /** A metric by its name: {@code iterations}, a training metric, or a step's; NaN when the run has none. */
        public double metric(String name) {
            if (ITERATIONS.equals(name)) {
                return iterations;
            }
            Double v = stepMetrics.containsKey(name) ? stepMetrics.get(name) : training.get(name);
            return v == null ? Double.NaN : v;
        }
    }

    /** The pseudo-metric of a run's last iteration. */
    public static final String ITERATIONS = "iterations";

    public SweepRuns {
        runs = List.copyOf(runs);
    }

    /**
     * Reads the last invocation under {@code root} and its runs.
     *
     * @throws IllegalStateException when nothing ran there yet
     */
    public static SweepRuns read(Path root) {
        Invocation invocation = Invocation.read(root).orElseThrow(() -> new IllegalStateException("nothing has run "
                + "under " + root + " yet (no " + Invocation.FILE + ")"));
        return new SweepRuns(root, invocation, readRuns(root, invocation.points()));
    }

    /** The named run folders under {@code root} as they are now (also while their invocation still runs). */
    public static List<Run> readRuns(Path root, List<String> names) {
        List<Run> runs = new ArrayList<>();
        for (String name : names) {
            runs.add(readRun(root.resolve(name)));
        }
        return runs;
    }

    public List<Run> finished() {
        return runs.stream().filter(Run::finished).toList();
    }

    private static Run readRun(Path dir) {
        RunDirectory run = new RunDirectory(dir);
        RunSpec spec;
        try {
            spec = RunSpec.fromJson(Files.readString(run.specJson()));
        } catch (IOException e) {
            // a point no worker reached (QUEUED) may have no folder yet
            return new Run(dir.getFileName().toString(), dir, null, RunState.QUEUED, 0, new TreeMap<>(),
                    new TreeMap<>());
        }
        String status = RunStateFile.read(dir).map(RunState::status).orElse(RunState.QUEUED);
        Optional<IterationStats> last = MetricsLog.last(run.metricsCsv());
        SortedMap<String, Double> training = new TreeMap<>();
        last.ifPresent(s -> {
            training.put(IterationMetrics.F_DIFF.name(), s.difference());
            training.put(IterationMetrics.GRAD_NORM.name(), s.gradNorm());
            training.put(IterationMetrics.SECONDS_PER_ITERATION.name(), s.seconds());
        });
        return new Run(spec.runName(), dir, spec, status, last.map(IterationStats::iteration).orElse(0L), training,
                FinishedSteps.lastMetrics(dir));
    }
}
