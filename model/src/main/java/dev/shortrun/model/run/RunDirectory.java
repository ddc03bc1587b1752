package dev.shortrun.model.run;

import dev.shortrun.model.io.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The one place that knows a run folder's layout:
 * <pre>
 *   RUN/.lock                     who is training the run or writing into it ({@link RunLock})
 *   RUN/spec.json                 the fully resolved run (pipelines)
 *   RUN/tracking-url.txt          where the run is recorded (MLflow page or local folder)
 *   RUN/metrics.csv               one row per iteration
 *   RUN/training.png              |f(x+) - f(x-)| and the input-gradient norm per iteration
 *   RUN/diagnostics.png           d_s_t and r_t, the Anatomy paper's Figure 4
 *   RUN/checkpoints/iter-N.*      weights, optimiser state, bank; iter-N.json written last
 *   RUN/samples/iter-N.png        training samples (and the sample step's pictures)
 *   RUN/steps/                    what each checkpoint step finished
 *   RUN/generator/, diagnose/, density/, scores/, landscape/   the other steps' and commands' outputs
 * </pre>
 * N is the iteration, zero-padded to six digits ({@link #iterName}), so names sort by iteration. The small text
 * files it writes itself are written atomically: a run folder never holds half a file.
 */
public record RunDirectory(Path root) {
    public static final String CHECKPOINTS = "checkpoints";
    public static final String METRICS_CSV = "metrics.csv";
    public static final String SAMPLES = "samples";
    public static final String TRAINING_PNG = "training.png";
    public static final String DIAGNOSTICS_PNG = "diagnostics.png";
    public static final String SPEC_JSON = "spec.json";
    public static final String TRACKING_URL = "tracking-url.txt";
    public static final String STEPS = "steps";
    public static final String GENERATOR = "generator";
    public static final String DIAGNOSE = "diagnose";
    public static final String DENSITY = "density";
    public static final String SCORES = "scores";
    public static final String LANDSCAPE = "landscape";
    private static final Pattern CHECKPOINT_JSON = Pattern.compile("iter-\\d+\\.json");

    public RunDirectory {
        if (root == null) {
            throw new IllegalArgumentException("a run directory needs a path");
        }
    }

    /** The run that holds checkpoint {@code json} ({@code RUN/checkpoints/iter-N.json}). */
    public static RunDirectory ofCheckpoint(Path json) {
        return new RunDirectory(json.toAbsolutePath().getParent().getParent());
    }

    /**
     * What a user names as "a checkpoint": a checkpoint JSON, or a run directory (its newest checkpoint).
     *
     * @throws IllegalArgumentException naming the path when there is no such checkpoint
     */
    public static Path checkpointOf(Path runDirOrJson) {
        Path json = Files.isDirectory(runDirOrJson)
                ? new RunDirectory(runDirOrJson).newestCheckpoint().orElseThrow(() -> new IllegalArgumentException(
                        "no checkpoint in " + runDirOrJson.resolve(CHECKPOINTS)))
                : runDirOrJson;
        if (!Files.isRegularFile(json)) {
            throw new IllegalArgumentException("checkpoint not found: " + json);
        }
        return json;
    }

    /** "iter-000123": the name every file of iteration 123 is built from (checkpoints, pictures, step records). */
    public static String iterName(long iteration) {
        return String.format("iter-%06d", iteration);
    }

    public Path checkpointsDir() {
        return root.resolve(CHECKPOINTS);
    }

    /** The JSON of the checkpoint after {@code iteration} updates (whether or not it exists). */
    public Path checkpointJson(long iteration) {
        return checkpointsDir().resolve(iterName(iteration) + ".json");
    }

    /** The complete checkpoints (their JSON exists), oldest first; none when there is no checkpoint folder. */
    public List<Path> checkpointJsons() {
        Path dir = checkpointsDir();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> CHECKPOINT_JSON.matcher(p.getFileName().toString()).matches()).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The newest complete checkpoint, the one a resumed run continues from. */
    public Optional<Path> newestCheckpoint() {
        List<Path> all = checkpointJsons();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    public Path metricsCsv() {
        return root.resolve(METRICS_CSV);
    }

    public Path samplesDir() {
        return root.resolve(SAMPLES);
    }

    /** The training samples drawn at {@code iteration}. */
    public Path samplePicture(long iteration) {
        return samplesDir().resolve(iterName(iteration) + ".png");
    }

    public Path trainingPng() {
        return root.resolve(TRAINING_PNG);
    }

    public Path diagnosticsPng() {
        return root.resolve(DIAGNOSTICS_PNG);
    }

    public Path specJson() {
        return root.resolve(SPEC_JSON);
    }

    public Path trackingUrlFile() {
        return root.resolve(TRACKING_URL);
    }

    public Path stepsDir() {
        return root.resolve(STEPS);
    }

    public Path generatorDir() {
        return root.resolve(GENERATOR);
    }

    public Path diagnoseDir() {
        return root.resolve(DIAGNOSE);
    }

    public Path densityDir() {
        return root.resolve(DENSITY);
    }

    public Path scoresDir() {
        return root.resolve(SCORES);
    }

    public Path landscapeDir() {
        return root.resolve(LANDSCAPE);
    }

    /**
     * Takes the folder for training it (creating it): another process, or another thread of this one training it,
     * is refused with {@link RunInUseException}. Close the lock when training ends.
     */
    public RunLock lockForTraining() {
        return RunLock.acquire(root, "train", true);
    }

    /** Takes the folder for a step that writes into it; shared with this process's other users (see RunLock). */
    public RunLock lockForStep(String step) {
        return RunLock.acquire(root, "step " + step, false);
    }

    /** Writes the resolved run's JSON to {@code spec.json}, atomically; returns the file. */
    public Path writeSpec(String json) throws IOException {
        return write(specJson(), json);
    }

    /** Records where the run is tracked (read back by {@link #trackingUrl}), atomically. */
    public void writeTrackingUrl(String url) throws IOException {
        write(trackingUrlFile(), url + "\n");
    }

    /** The URL {@link #writeTrackingUrl} recorded; empty when none was. */
    public Optional<String> trackingUrl() {
        Path file = trackingUrlFile();
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Path write(Path file, String text) throws IOException {
        AtomicFiles.writeString(file, text); // creates the run folder when it is not there yet
        return file;
    }
}
