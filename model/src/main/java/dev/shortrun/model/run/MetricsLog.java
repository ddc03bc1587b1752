package dev.shortrun.model.run;

import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.learning.IterationMetrics;
import dev.shortrun.model.learning.IterationStats;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Per-iteration statistics as CSV, buffered and flushed at every checkpoint. On resume the rows past the
 * checkpoint (from the interrupted segment) are dropped, so the file always matches the weights' history.
 */
public final class MetricsLog implements AutoCloseable {
    private final Path file;
    private final BufferedWriter out;

    private MetricsLog(Path file, BufferedWriter out) {
        this.file = file;
        this.out = out;
    }

    /** Opens {@code file}, keeping rows up to {@code keepThrough} completed iterations (0 = start afresh). */
    public static MetricsLog open(Path file, long keepThrough) {
        try {
            List<String> kept = new ArrayList<>();
            kept.add(IterationStats.csvHeader());
            if (keepThrough > 0 && Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    int comma = line.indexOf(',');
                    if (comma > 0 && Character.isDigit(line.charAt(0))
                            && Long.parseLong(line.substring(0, comma)) <= keepThrough) {
                        kept.add(line);
                    }
                }
            }
            AtomicFiles.writeString(file, String.join("\n", kept) + "\n");
            return new MetricsLog(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open metrics log " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Columns of a metrics file by {@link IterationMetrics} name, each over all rows; files written before the names
     * were unified are read by their old column names ({@code diff}, {@code seconds}). A missing column is an error
     * naming the file (files written before the Anatomy diagnostics have no d_s_t, r_t, v_t).
     */
    public static double[][] columns(Path file, String... names) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read metrics " + file + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty: not a metrics file");
        }
        List<String> header = List.of(lines.get(0).split(","));
        int[] at = new int[names.length];
        for (int j = 0; j < names.length; j++) {
            at[j] = header.indexOf(names[j]);
            String oldName = IterationMetrics.named(names[j]).map(IterationMetrics.Metric::oldName).orElse(null);
            if (at[j] < 0 && oldName != null) {
                at[j] = header.indexOf(oldName);
            }
            if (at[j] < 0) {
                throw new IllegalArgumentException(file + " has no column '" + names[j] + "' (columns: "
                        + String.join(", ", header) + ")");
            }
        }
        List<String> rows = lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).toList();
        double[][] out = new double[names.length][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            String[] cells = rows.get(i).split(",", -1);
            for (int j = 0; j < names.length; j++) {
                out[j][i] = at[j] < cells.length ? Double.parseDouble(cells[at[j]]) : Double.NaN;
            }
        }
        return out;
    }

    /** The last row of {@code file}: how far the run got; empty when the file or its rows do not exist yet. */
    public static Optional<IterationStats> last(Path file) {
        List<String> lines;
        try {
            lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read metrics " + file + ": " + e.getMessage(), e);
        }
        List<String> rows = lines.stream().skip(1).filter(l -> !l.isBlank()).toList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(IterationStats.fromCsvRow(rows.get(rows.size() - 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " line " + (rows.size() + 1) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Hands each row of {@code file} through iteration {@code through} to {@code each}, in order. Rows are read by
     * position, so files with the old column names ({@code diff}, {@code seconds}) replay the same.
     */
    public static void replay(Path file, long through, Consumer<IterationStats> each) {
        try (BufferedReader rows = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            rows.readLine(); // the header
            int line = 1;
            for (String row = rows.readLine(); row != null; row = rows.readLine()) {
                line++;
                IterationStats stats;
                try {
                    stats = IterationStats.fromCsvRow(row);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + " line " + line + ": " + e.getMessage(), e);
                }
                if (stats.iteration() > through) {
                    return;
                }
                each.accept(stats);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read metrics " + file + ": " + e.getMessage(), e);
        }
    }

    public void append(IterationStats stats) {
        try {
            out.write(stats.csvRow());
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }

    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file + ": " + e.getMessage(), e);
        }
    }
}
