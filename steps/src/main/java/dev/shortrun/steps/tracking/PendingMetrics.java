package dev.shortrun.steps.tracking;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Metric points waiting to be sent, oldest first. At most {@code memoryCapacity} points are held in memory; beyond
 * that, points are appended to spill files of that many points each and read back, oldest file first, once memory
 * has drained, so a long outage costs disk, never data. Not thread-safe: the owner synchronises.
 */
final class PendingMetrics {
    private final int memoryCapacity;
    private final Path spillDir;
    private final Deque<MetricPoint> memory = new ArrayDeque<>();
    private final Deque<Path> spillFiles = new ArrayDeque<>();
    private BufferedWriter spillWriter;
    private int pointsInLastSpillFile;
    private long spilledPoints;
    private int spillFileCounter;

    PendingMetrics(int memoryCapacity, Path spillDir) {
        if (memoryCapacity < 1) {
            throw new IllegalArgumentException("memoryCapacity must be >= 1, got " + memoryCapacity);
        }
        this.memoryCapacity = memoryCapacity;
        this.spillDir = spillDir;
    }

    /** Returns true when this point went to disk (the caller warns once). */
    boolean add(MetricPoint point) {
        if (spillFiles.isEmpty() && memory.size() < memoryCapacity) {
            memory.addLast(point);
            return false;
        }
        spill(point);
        return true;
    }

    /** The oldest {@code max} points, left in place until {@link #remove(int)} confirms they were sent. */
    List<MetricPoint> peek(int max) {
        if (memory.isEmpty() && !spillFiles.isEmpty()) {
            loadOldestSpillFile();
        }
        List<MetricPoint> batch = new ArrayList<>(Math.min(max, memory.size()));
        for (MetricPoint p : memory) {
            if (batch.size() == max) {
                break;
            }
            batch.add(p);
        }
        return batch;
    }

    void remove(int count) {
        for (int i = 0; i < count; i++) {
            memory.removeFirst();
        }
    }

    /** Forgets every pending point, spilled ones included. */
    void clear() {
        memory.clear();
        try {
            closeSpillWriter();
            for (Path file : spillFiles) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete spilled MLflow metrics in " + spillDir, e);
        }
        spillFiles.clear();
        spilledPoints = 0;
    }

    long size() {
        return memory.size() + spilledPoints;
    }

    boolean isEmpty() {
        return size() == 0;
    }

    private void spill(MetricPoint p) {
        try {
            if (spillWriter == null || pointsInLastSpillFile >= memoryCapacity) {
                closeSpillWriter();
                Files.createDirectories(spillDir);
                Path file = spillDir.resolve(String.format("metrics-%06d.tsv", spillFileCounter++));
                spillWriter = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                spillFiles.addLast(file);
                pointsInLastSpillFile = 0;
            }
            // The key goes last: MLflow keys never hold tabs or newlines, and this way it needs no escaping.
            spillWriter.write(p.step() + "\t" + p.timestampMs() + "\t" + p.value() + "\t" + p.key() + "\n");
            pointsInLastSpillFile++;
            spilledPoints++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spill pending MLflow metrics to " + spillDir, e);
        }
    }

    private void loadOldestSpillFile() {
        Path file = spillFiles.removeFirst();
        try {
            if (spillFiles.isEmpty()) {
                closeSpillWriter(); // the file being written is the one we read now
            }
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    String[] f = line.split("\t", 4);
                    memory.addLast(new MetricPoint(f[3], Double.parseDouble(f[2]),
                            Long.parseLong(f[0]), Long.parseLong(f[1])));
                    spilledPoints--;
                }
            }
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read spilled MLflow metrics from " + file, e);
        }
    }

    private void closeSpillWriter() throws IOException {
        if (spillWriter != null) {
            spillWriter.close();
            spillWriter = null;
        }
    }
}
