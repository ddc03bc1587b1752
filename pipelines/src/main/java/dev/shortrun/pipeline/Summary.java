package dev.shortrun.pipeline;

import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.learning.IterationMetrics;
import dev.shortrun.model.learning.IterationStats;
import dev.shortrun.model.run.MetricsLog;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.steps.RunSpec;
import dev.shortrun.steps.StepResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * One line per run of a pipeline or sweep: what was swept, how training ended, and the steps' numbers at the run's
 * last checkpoint (e.g. kl_true_learned), one column per metric name (the parent run's table).
 */
public record Summary(List<Row> rows) {
    /**
     * A run's final numbers, read back from its metrics.csv and the steps' result rows.
     *
     * @param stepMetrics each step metric at the highest iteration any step reported for this run
     */
    public record Row(String run, String swept, long iterations, double fDiff, double gradNorm,
                      double secondsPerIteration, int pictures, SortedMap<String, Double> stepMetrics) {
    }

    public static Summary collect(List<RunSpec> runs, Path resultsPrefix) {
        List<StepResult> results = readResults(resultsPrefix);
        List<Row> rows = new ArrayList<>();
        for (RunSpec run : runs) {
            Path metrics = new RunDirectory(Path.of(run.outputDir())).metricsCsv();
            Optional<IterationStats> last = MetricsLog.last(metrics);
            int pictures = results.stream().filter(r -> r.runName().equals(run.runName()))
                    .mapToInt(r -> r.artifacts().size()).sum();
            String swept = run.sweepPoint().isEmpty() ? "-" : String.join(" ", run.sweepPoint().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList());
            SortedMap<String, Double> stepMetrics = lastStepMetrics(results, run.runName());
            rows.add(last.isEmpty()
                    ? new Row(run.runName(), swept, 0, Double.NaN, Double.NaN, Double.NaN, pictures, stepMetrics)
                    : new Row(run.runName(), swept, last.get().iteration(), last.get().difference(),
                    last.get().gradNorm(), last.get().seconds(), pictures, stepMetrics));
        }
        return new Summary(rows);
    }

    /** The metrics of the run's results at their highest iteration (the final checkpoint's numbers). */
    private static SortedMap<String, Double> lastStepMetrics(List<StepResult> results, String runName) {
        long lastIteration = results.stream().filter(r -> r.runName().equals(runName))
                .mapToLong(StepResult::iteration).max().orElse(-1);
        SortedMap<String, Double> metrics = new TreeMap<>();
        results.stream().filter(r -> r.runName().equals(runName) && r.iteration() == lastIteration)
                .forEach(r -> metrics.putAll(r.metrics()));
        return metrics;
    }

    /** Every step metric name in the table, sorted: the extra columns. */
    private SortedSet<String> metricNames() {
        SortedSet<String> names = new TreeSet<>();
        rows.forEach(r -> names.addAll(r.stepMetrics().keySet()));
        return names;
    }

    private static List<StepResult> readResults(Path prefix) {
        Path dir = prefix.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        String stem = prefix.getFileName().toString();
        try (Stream<Path> files = Files.list(dir)) {
            List<StepResult> out = new ArrayList<>();
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith(stem)).toList()) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        out.add(StepResult.fromJson(line));
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read results in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes the table as CSV (atomically) and returns its path. */
    public Path write(Path csv) {
        SortedSet<String> names = metricNames();
        StringBuilder b = new StringBuilder(String.join(",", "run", "swept", "iterations",
                IterationMetrics.F_DIFF.name(), IterationMetrics.GRAD_NORM.name(),
                IterationMetrics.SECONDS_PER_ITERATION.name(), "pictures"));
        names.forEach(n -> b.append(',').append(n));
        b.append('\n');
        for (Row r : rows) {
            b.append(String.join(",", r.run(), '"' + r.swept() + '"', Long.toString(r.iterations()),
                    Double.toString(r.fDiff()), Double.toString(r.gradNorm()),
                    Double.toString(r.secondsPerIteration()), Integer.toString(r.pictures())));
            names.forEach(n -> b.append(',').append(r.stepMetrics().containsKey(n) ? r.stepMetrics().get(n) : ""));
            b.append('\n');
        }
        try {
            AtomicFiles.writeString(csv, b.toString());
            return csv;
        } catch (IOException e) {
            throw AtomicFiles.unchecked(e);
        }
    }

    private static int width(String metricName) {
        return Math.max(10, metricName.length());
    }

    /** A fixed-width table for the terminal. */
    public String render() {
        SortedSet<String> names = metricNames();
        // columns as wide as the longest run name and swept values (sweeps over pipelines name long runs)
        int runWidth = Math.max(44, rows.stream().mapToInt(r -> r.run().length()).max().orElse(0));
        int sweptWidth = Math.max(28, rows.stream().mapToInt(r -> r.swept().length()).max().orElse(0));
        String head = "%-" + runWidth + "s %-" + sweptWidth + "s";
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, head + " %6s %11s %10s %8s", "run",
                "swept", "iters", "f(x+)-f(x-)", "|grad f|", "s/iter"));
        names.forEach(n -> b.append(String.format(Locale.ROOT, " %" + width(n) + "s", n)));
        b.append(System.lineSeparator());
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, head + " %6d %11.3e %10.4g %8.3f", r.run(), r.swept(),
                    r.iterations(), r.fDiff(), r.gradNorm(), r.secondsPerIteration()));
            names.forEach(n -> b.append(r.stepMetrics().containsKey(n)
                    ? String.format(Locale.ROOT, " %" + width(n) + ".4g", r.stepMetrics().get(n))
                    : String.format(Locale.ROOT, " %" + width(n) + "s", "-")));
            b.append(System.lineSeparator());
        }
        return b.toString();
    }
}
