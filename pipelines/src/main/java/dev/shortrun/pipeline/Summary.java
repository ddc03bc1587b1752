package dev.shortrun.pipeline;

import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.steps.RunSpec;
import dev.shortrun.steps.StepResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One line per run of a pipeline or sweep: what was swept, how training ended and, with a score step, the final
 * checkpoint's IS and FID (the paper's Tables 2-3 layout: one row per swept value).
 */
public record Summary(List<Row> rows) {
    /** Score metrics shown as columns, in this order, when some run has them. */
    static final List<String> SCORE_COLUMNS = List.of("is", "fid", "is_lenet", "fid_lenet");

    /**
     * A run's final numbers, read back from its metrics.csv and the steps' result rows.
     *
     * @param scores the score step's metrics at the run's last scored checkpoint (empty without a score step)
     */
    public record Row(String run, String swept, long iterations, double fDiff, double gradNorm,
                      double secondsPerIteration, int pictures, Map<String, Double> scores) {
    }

    public static Summary collect(List<RunSpec> runs, Path resultsPrefix) {
        List<StepResult> results = readResults(resultsPrefix);
        List<Row> rows = new ArrayList<>();
        for (RunSpec run : runs) {
            List<String> last = lastMetrics(Path.of(run.outputDir()).resolve("metrics.csv"));
            int pictures = results.stream().filter(r -> r.runName().equals(run.runName()))
                    .mapToInt(r -> r.artifacts().size()).sum();
            String swept = run.sweepPoint().isEmpty() ? "-" : String.join(" ", run.sweepPoint().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList());
            Map<String, Double> scores = results.stream()
                    .filter(r -> r.runName().equals(run.runName()) && r.step().equals("score"))
                    .max(Comparator.comparingLong(StepResult::iteration)).map(StepResult::metrics).orElse(Map.of());
            rows.add(last == null
                    ? new Row(run.runName(), swept, 0, Double.NaN, Double.NaN, Double.NaN, pictures, scores)
                    : new Row(run.runName(), swept, Long.parseLong(last.get(0)), Double.parseDouble(last.get(3)),
                    Double.parseDouble(last.get(4)), Double.parseDouble(last.get(8)), pictures, scores));
        }
        return new Summary(rows);
    }

    private static List<String> lastMetrics(Path csv) {
        try {
            if (!Files.exists(csv)) {
                return null;
            }
            List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            return lines.size() < 2 ? null : List.of(lines.get(lines.size() - 1).split(","));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv + ": " + e.getMessage(), e);
        }
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

    /** The score columns some row has, in {@link #SCORE_COLUMNS} order. */
    List<String> scoreColumns() {
        return SCORE_COLUMNS.stream().filter(c -> rows.stream().anyMatch(r -> r.scores().containsKey(c))).toList();
    }

    /** Writes the table as CSV (atomically) and returns its path. */
    public Path write(Path csv) {
        List<String> scores = scoreColumns();
        StringBuilder b = new StringBuilder("run,swept,iterations,f_diff,grad_norm,seconds_per_iteration,pictures");
        scores.forEach(c -> b.append(',').append(c));
        b.append('\n');
        for (Row r : rows) {
            b.append(String.join(",", r.run(), '"' + r.swept() + '"', Long.toString(r.iterations()),
                    Double.toString(r.fDiff()), Double.toString(r.gradNorm()),
                    Double.toString(r.secondsPerIteration()), Integer.toString(r.pictures())));
            scores.forEach(c -> b.append(',').append(r.scores().getOrDefault(c, Double.NaN)));
            b.append('\n');
        }
        try {
            AtomicFiles.writeString(csv, b.toString());
            return csv;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write summary " + csv + ": " + e.getMessage(), e);
        }
    }

    /** A fixed-width table for the terminal. */
    public String render() {
        List<String> scores = scoreColumns();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-44s %-28s %6s %11s %10s %8s", "run",
                "swept", "iters", "f(x+)-f(x-)", "|grad f|", "s/iter"));
        scores.forEach(c -> b.append(String.format(Locale.ROOT, " %10s", c.toUpperCase(Locale.ROOT))));
        b.append(System.lineSeparator());
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, "%-44s %-28s %6d %11.3e %10.4g %8.3f", r.run(), r.swept(),
                    r.iterations(), r.fDiff(), r.gradNorm(), r.secondsPerIteration()));
            scores.forEach(c -> b.append(String.format(Locale.ROOT, " %10.3f",
                    r.scores().getOrDefault(c, Double.NaN))));
            b.append(System.lineSeparator());
        }
        return b.toString();
    }
}
