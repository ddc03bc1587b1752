package dev.shortrun.steps.tracking;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.reflect.TypeToken;
import dev.shortrun.model.io.AtomicFiles;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run directory: {@code params.json} and {@code tags.json} (sorted keys), {@code metrics.csv}
 * ({@code step,key,value,timestamp_ms}, appended), {@code artifacts/<dir>/<file>} and {@code status}.
 * Every file except the appended CSV is replaced atomically (temp file + rename).
 */
final class LocalRun implements RunHandle {
    static final String EXPERIMENT_TAG = "shortrun.experiment";
    static final String PARENT_TAG = "shortrun.parentRunId";
    static final String RUNNING = "RUNNING";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private final Path dir;
    private final Path metricsCsv;
    private final Map<String, String> params;
    private final Map<String, String> tags;
    private final String earlierStatus; // what an earlier attempt of the run left, or null
    private boolean finished;
    private RecordedSteps recorded = new RecordedSteps();
    private BufferedWriter metrics;

    LocalRun(Path dir) {
        this.dir = dir;
        this.metricsCsv = dir.resolve("metrics.csv");
        this.params = readJsonMap(dir.resolve("params.json"));
        this.tags = readJsonMap(dir.resolve("tags.json"));
        dropPartialLastRow(metricsCsv);
        this.earlierStatus = readStatus(dir.resolve("status"));
        writeAtomically(dir.resolve("status"), RUNNING + "\n");
    }

    @Override
    public String id() {
        return dir.getFileName().toString();
    }

    @Override
    public String url() {
        return dir.toString();
    }

    @Override
    public synchronized void logParams(Map<String, String> newParams) {
        params.putAll(newParams);
        writeAtomically(dir.resolve("params.json"), GSON.toJson(params) + "\n");
    }

    @Override
    public synchronized void setTag(String key, String value) {
        tags.put(key, value);
        writeAtomically(dir.resolve("tags.json"), GSON.toJson(tags) + "\n");
    }

    @Override
    public synchronized void logMetrics(long step, Map<String, Double> values) {
        long now = System.currentTimeMillis();
        try {
            BufferedWriter out = metricsWriter();
            for (Map.Entry<String, Double> e : values.entrySet()) {
                if (recorded.covers(e.getKey(), step)) {
                    continue;
                }
                out.write(step + "," + csvField(e.getKey()) + "," + e.getValue() + "," + now + "\n");
            }
            out.flush(); // one write per call, so a killed process loses no logged point
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + metricsCsv + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void skipStepsAlreadyRecorded() {
        recorded = readRecordedSteps(metricsCsv);
    }

    @Override
    public synchronized void logArtifact(Path file, String artifactDir) {
        Path targetDir = dir.resolve("artifacts");
        String normal = ArtifactDirs.normalize(artifactDir);
        if (!normal.isEmpty()) {
            targetDir = targetDir.resolve(normal);
        }
        Path target = targetDir.resolve(file.getFileName().toString());
        try {
            AtomicFiles.write(target, out -> Files.copy(file, out));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy artifact " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void finish(String status) {
        RunHandle.checkStatus(status);
        finished = true;
        closeMetrics();
        writeAtomically(dir.resolve("status"), status + "\n");
    }

    /** Closes the metrics file; a run that had ended before it was resumed here gets that status back. */
    @Override
    public synchronized void close() {
        closeMetrics();
        if (!finished && RunHandle.ended(earlierStatus)) {
            finished = true;
            writeAtomically(dir.resolve("status"), earlierStatus + "\n");
        }
    }

    private void closeMetrics() {
        if (metrics == null) {
            return;
        }
        try {
            metrics.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot flush " + metricsCsv + ": " + e.getMessage(), e);
        } finally {
            metrics = null;
        }
    }

    private BufferedWriter metricsWriter() throws IOException {
        if (metrics == null) {
            boolean fresh = !Files.exists(metricsCsv) || Files.size(metricsCsv) == 0;
            metrics = Files.newBufferedWriter(metricsCsv, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (fresh) {
                metrics.write("step,key,value,timestamp_ms\n");
            }
        }
        return metrics;
    }

    /** The last step of each metric in the CSV. */
    private static RecordedSteps readRecordedSteps(Path csv) {
        RecordedSteps steps = new RecordedSteps();
        if (!Files.exists(csv)) {
            return steps;
        }
        try (BufferedReader rows = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            rows.readLine(); // the header
            int line = 1;
            for (String row = rows.readLine(); row != null; row = rows.readLine()) {
                line++;
                addRow(steps, row, csv, line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv + ": " + e.getMessage(), e);
        }
        return steps;
    }

    /**
     * Removes a row cut short (a kill during a write, a full disk), so that appending starts on a line of its own;
     * the resumed run logs that point again.
     */
    private static void dropPartialLastRow(Path csv) {
        if (!Files.exists(csv)) {
            return;
        }
        try (FileChannel file = FileChannel.open(csv, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            long keep = file.size();
            while (keep > 0) {
                last.clear();
                file.read(last, keep - 1);
                if (last.get(0) == '\n') {
                    break;
                }
                keep--;
            }
            if (keep < file.size()) {
                file.truncate(keep);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot repair " + csv + ": " + e.getMessage(), e);
        }
    }

    /** Reads the step and key of one {@code step,key,value,timestamp_ms} row (the key quoted as {@link #csvField}). */
    private static void addRow(RecordedSteps steps, String row, Path csv, int line) {
        int comma = row.indexOf(',');
        try {
            long step = Long.parseLong(row.substring(0, Math.max(comma, 0)));
            String rest = row.substring(comma + 1);
            if (!rest.startsWith("\"")) {
                steps.add(rest.substring(0, rest.indexOf(',')), step);
                return;
            }
            StringBuilder key = new StringBuilder();
            int i = 1;
            while (rest.charAt(i) != '"' || rest.startsWith("\"\"", i)) {
                key.append(rest.charAt(i));
                i += rest.charAt(i) == '"' ? 2 : 1;
            }
            steps.add(key.toString(), step);
        } catch (RuntimeException e) {
            throw new IllegalStateException(csv + " line " + line + " is not a step,key,value,timestamp_ms row: '"
                    + row + "'");
        }
    }

    private static String csvField(String text) {
        if (text.contains(",") || text.contains("\"") || text.contains("\n")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }

    private static String readStatus(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file).trim() : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> readJsonMap(Path file) {
        Map<String, String> map = new TreeMap<>();
        if (Files.exists(file)) {
            try {
                Map<String, String> stored = GSON.fromJson(Files.readString(file),
                        new TypeToken<Map<String, String>>() {}.getType());
                if (stored != null) {
                    map.putAll(stored);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return map;
    }

    private static void writeAtomically(Path file, String content) {
        try {
            AtomicFiles.writeString(file, content);
        } catch (IOException e) {
            throw AtomicFiles.unchecked(e);
        }
    }
}
