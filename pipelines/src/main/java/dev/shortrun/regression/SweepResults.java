package dev.shortrun.regression;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.run.RunState;
import dev.shortrun.model.run.RunStateFile;
import dev.shortrun.pipeline.Invocation;
import dev.shortrun.pipeline.SweepRuns;
import dev.shortrun.steps.settings.LearnerSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A sweep's final numbers, one entry per point: what the regression gate compares, and the format of a baseline
 * file ({@code shortrun baseline}). Read back from the sweep's folder ({@code runs/<name>/}): the points of its last
 * invocation, each run's training metrics at its last iteration and its checkpoint steps' metrics at its last
 * checkpoint. Points that differ only in {@code learner.seed} are one configuration.
 *
 * @param format     {@value #FORMAT}
 * @param sweep      the sweep's name
 * @param code       the code that ran the sweep (its invocation's {@code CodeVersion})
 * @param source     where the numbers were read from (a folder, or an MLflow parent run)
 * @param recordedAt when they were read (ISO-8601)
 */
public record SweepResults(int format, String sweep, String code, String source, String recordedAt,
                           List<RunResult> runs) {
    public static final int FORMAT = 1;
    /** The swept key that tells seeds of one configuration apart. */
    public static final String SEED_KEY = LearnerSettings.SEED.path();
    /** The label of the configuration of a sweep that sweeps nothing but seeds. */
    public static final String ONLY_CONFIGURATION = "(all points)";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .serializeSpecialFloatingPointValues().create();

    /**
     * One point.
     *
     * @param config  its swept values but the seed ("pipeline=toy-gmm-convergent")
     * @param seed    its {@code learner.seed}
     * @param run     its run folder's name
     * @param status  FINISHED, FAILED, KILLED, ... ({@code state.json})
     * @param code    the code that computed it ({@code state.json}; another than the sweep's only when it was reused
     *                with {@code --reuse-other-code})
     * @param metrics the training metrics at its last iteration and its steps' metrics at its last checkpoint
     */
    public record RunResult(String config, String seed, String run, String status, String code,
                            Map<String, Double> metrics) {
        public RunResult {
            metrics = metrics == null ? null : new TreeMap<>(metrics); // null: not a baseline file (parse says so)
        }

        public boolean finished() {
            return RunState.FINISHED.equals(status);
        }
    }

    public SweepResults {
        runs = runs == null ? null : runs.stream().toList(); // null: not a baseline file (parse says so)
    }

    /** The runs another code computed than the one that ran the sweep (reused with --reuse-other-code). */
    public List<RunResult> byOtherCode() {
        return runs.stream().filter(r -> r.code() != null && !r.code().equals(code)).toList();
    }

    /** The configurations, in the order of their first point. */
    public List<String> configs() {
        return runs.stream().map(RunResult::config).distinct().toList();
    }

    public List<RunResult> of(String config) {
        return runs.stream().filter(r -> r.config().equals(config)).toList();
    }

    /**
     * The last invocation's points in {@code sweepRoot}.
     *
     * @throws IllegalArgumentException naming the folder when no sweep ran there or one still runs
     */
    public static SweepResults read(Path sweepRoot) {
        Invocation invocation = Invocation.read(sweepRoot).orElseThrow(() -> new IllegalArgumentException(
                "no sweep has run in " + sweepRoot + " (no " + Invocation.FILE + "); run `shortrun sweep` first"));
        if (!invocation.ended()) {
            throw new IllegalArgumentException("the sweep in " + sweepRoot + " has not ended (" + invocation.status()
                    + ", started by " + invocation.client() + "); compare it once it has");
        }
        return collect(sweepRoot, invocation.name(), invocation.code(), invocation.points());
    }

    /** The numbers of these run folders of {@code sweepRoot} as they are now. */
    public static SweepResults collect(Path sweepRoot, String sweep, String code, List<String> points) {
        List<RunResult> runs = new ArrayList<>();
        for (SweepRuns.Run run : SweepRuns.readRuns(sweepRoot, points)) {
            if (run.spec() == null) {
                throw new IllegalArgumentException("run " + run.dir() + " never started (no "
                        + new RunDirectory(run.dir()).specJson().getFileName() + "); run the sweep again");
            }
            Map<String, Double> metrics = new LinkedHashMap<>(run.training());
            metrics.put(SweepRuns.ITERATIONS, (double) run.iterations());
            metrics.putAll(run.stepMetrics());
            String seed = run.spec().sweepPoint().getOrDefault(SEED_KEY, run.spec().params().getOrDefault(SEED_KEY,
                    "?"));
            String runCode = RunStateFile.read(run.dir()).map(RunState::code).orElse(null);
            runs.add(new RunResult(config(run.spec().sweepPoint()), seed, run.name(), run.status(), runCode,
                    metrics));
        }
        return new SweepResults(FORMAT, sweep, code, sweepRoot.toAbsolutePath().toString(), Instant.now().toString(),
                runs);
    }

    /** A point's swept values but its seed. */
    static String config(Map<String, String> sweepPoint) {
        String label = sweepPoint.entrySet().stream().filter(e -> !e.getKey().equals(SEED_KEY))
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        return label.isEmpty() ? ONLY_CONFIGURATION : label;
    }

    /** Writes the results as a baseline file, atomically. */
    public void write(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        AtomicFiles.writeString(file, toJson());
    }

    public String toJson() {
        return GSON.toJson(this) + "\n";
    }

    /** A baseline file; one line naming the file and what is wrong when it is not one. */
    public static SweepResults readFile(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("baseline file not found: " + file + " (record one with `shortrun "
                    + "baseline SWEEP.yaml --out " + file + "`)", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read baseline file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Baseline JSON from {@code where} (a file or an MLflow artifact). */
    public static SweepResults parse(String json, String where) {
        SweepResults results;
        try {
            results = GSON.fromJson(json, SweepResults.class);
        } catch (RuntimeException e) { // Gson wraps what a record's constructor throws
            throw new IllegalArgumentException(where + " is not a baseline file (JSON written by `shortrun "
                    + "baseline`): " + e.getMessage(), e);
        }
        if (results == null || results.format() != FORMAT || results.runs() == null || results.runs().stream()
                .anyMatch(r -> r == null || r.config() == null || r.metrics() == null)) {
            throw new IllegalArgumentException(where + " is not a baseline file of format " + FORMAT
                    + " (expected keys format, sweep, code, runs[config, seed, run, status, metrics])");
        }
        return results;
    }
}
