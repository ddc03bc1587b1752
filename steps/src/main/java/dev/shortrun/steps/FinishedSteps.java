package dev.shortrun.steps;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.io.Sha256;
import dev.shortrun.model.run.Checkpoint;
import dev.shortrun.model.run.RunDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The record of checkpoint steps a run has finished, one JSON file per step and checkpoint in {@code RUN/steps/}:
 * running a pipeline again reuses a step's outcome instead of computing it again (scores and long-run diagnoses take
 * hours) and logging its metrics a second time. An outcome is reused only while everything it depends on is
 * unchanged: the checkpoint's files (hashed), the run's spec hash, the step's own settings and the record's format;
 * and while its pictures are still on disk. Deleting {@code RUN/steps/} (or {@code shortrun run --recompute-steps})
 * makes every step run again.
 */
public final class FinishedSteps {
    private static final Logger LOG = LoggerFactory.getLogger(FinishedSteps.class);
    /** Bump when a step's computation changes in a way that makes older outcomes wrong. */
    static final String FORMAT = "shortrun-step/1";
    /** The destination name of a run's own files under {@code <output>/<pipeline>/tracking/}. */
    static final String LOCAL = "local";
    /** A record's file name: {@code <step>-iter-NNNNNN.json} ({@link #file}). */
    private static final Pattern RECORD_NAME = Pattern.compile(".+-iter-(\\d+)\\.json");
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().setPrettyPrinting()
            .disableHtmlEscaping().create();

    /**
     * One finished step on one checkpoint.
     *
     * @param key      what the outcome depends on, hashed (see {@link #key})
     * @param loggedTo the tracking destinations that have it (see {@link #destinations})
     * @param code     the shortrun code that computed it ({@link CodeVersion})
     */
    record Entry(String format, String key, List<String> loggedTo, String code, StepOutcome outcome) {
    }

    private final Path dir;

    private FinishedSteps(Path dir) {
        this.dir = dir;
    }

    public static FinishedSteps of(RunSpec spec) {
        return new FinishedSteps(new RunDirectory(Path.of(spec.outputDir())).stepsDir());
    }

    /** Where a run's outcomes are logged: its local record, and its MLflow server and experiment if it has one. */
    static List<String> destinations(RunSpec spec) {
        String uri = spec.tracking().mlflowUri();
        return uri == null || uri.isBlank() ? List.of(LOCAL)
                : List.of(LOCAL, uri.trim() + " experiment " + spec.tracking().experiment());
    }

    Path file(String step, long iteration) {
        return dir.resolve(step + "-" + RunDirectory.iterName(iteration) + ".json");
    }

    /**
     * SHA-256 over the record format, the step, the checkpoint's files, the run's spec hash (its science settings)
     * and the step's own {@code settings} (those the spec hash leaves out, such as {@code score.*}).
     */
    static String key(String step, CheckpointRef ref, RunSpec spec, String settings) {
        MessageDigest digest = Sha256.newDigest();
        digest.update(String.join("\n", FORMAT, step, Long.toString(ref.iteration()), spec.specHash(), settings)
                .getBytes(StandardCharsets.UTF_8));
        Path json = Path.of(ref.checkpointJson());
        Sha256.update(digest, json);
        Sha256.update(digest, json.resolveSibling(Checkpoint.read(json).weights()));
        return Sha256.hex(digest);
    }

    /** The finished outcome of {@code step} on this checkpoint, if it is still valid for {@code key}. */
    Optional<Entry> lookup(String step, long iteration, String key) {
        Path file = file(step, iteration);
        Entry entry;
        try {
            entry = GSON.fromJson(Files.readString(file), Entry.class);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | JsonParseException e) {
            LOG.warn("ignoring unreadable step record {} ({}); the step runs again", file, e.getMessage());
            return Optional.empty();
        }
        boolean current = entry != null && entry.outcome() != null && entry.loggedTo() != null
                && FORMAT.equals(entry.format()) && key.equals(entry.key());
        return current && Stream.concat(entry.outcome().pictures().stream(),
                entry.outcome().otherArtifacts().stream()).allMatch(p -> Files.isRegularFile(Path.of(p)))
                ? Optional.of(entry) : Optional.empty();
    }

    /**
     * The numbers of the steps a run finished at the highest iteration any of them recorded (its last checkpoint's),
     * read from its {@code RUN/steps/} records; empty when it finished none. Unreadable records are left out.
     */
    public static SortedMap<String, Double> lastMetrics(Path runDir) {
        Path dir = new RunDirectory(runDir).stepsDir();
        SortedMap<Long, SortedMap<String, Double>> byIteration = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return new TreeMap<>();
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Matcher m = RECORD_NAME.matcher(file.getFileName().toString());
                if (!m.matches()) {
                    continue;
                }
                try {
                    Entry entry = GSON.fromJson(Files.readString(file), Entry.class);
                    if (entry != null && entry.outcome() != null) {
                        byIteration.computeIfAbsent(Long.parseLong(m.group(1)), i -> new TreeMap<>())
                                .putAll(entry.outcome().metrics());
                    }
                } catch (IOException | JsonParseException e) {
                    LOG.warn("ignoring unreadable step record {} ({})", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return byIteration.isEmpty() ? new TreeMap<>() : byIteration.get(byIteration.lastKey());
    }

    /** Deletes the record, so that every step runs again on this run's checkpoints. */
    public void forget() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
            Files.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the finished-step record " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Records a finished step, atomically: a kill leaves the old record or the new one. */
    void save(String step, long iteration, String key, List<String> loggedTo, String code, StepOutcome outcome) {
        try {
            AtomicFiles.writeString(file(step, iteration),
                    GSON.toJson(new Entry(FORMAT, key, loggedTo, code, outcome)));
        } catch (IOException e) {
            throw AtomicFiles.unchecked(e);
        }
    }
}
