package dev.shortrun.steps;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.longrun.LongRunSettings;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One fully resolved run of a pipeline: every default filled in, every value validated. It is what flows between
 * pipeline steps (as JSON, see {@link #toJson()}), and its {@code specHash} names the run.
 *
 * @param pipeline   the pipeline (or sweep) name
 * @param runName    {@code <pipeline>-<hash>}, with a readable suffix of the swept values for sweep points
 * @param specHash   first 12 hex digits of SHA-256 over the settings that define the results (not runner,
 *                   tracking, resources or output: the same science elsewhere keeps its hash)
 * @param train      the training settings handed to the trainer
 * @param steps      step names to run after training, in order
 * @param outputDir  the run directory: {@code <output>/<pipeline>/<runName>}
 * @param params     every resolved key path (e.g. {@code learner.lr}) with its value as text, for MLflow
 * @param sweepPoint the swept key paths with this point's values, in axis order; empty when not swept
 * @param diagnose   the diagnose step's settings; null (specs resolved before it existed) means its defaults
 */
public record RunSpec(String pipeline, String runName, String specHash, TrainConfig train, List<String> steps,
                      Sample sample, Tracking tracking, Runner runner, Resources resources, String outputDir,
                      SortedMap<String, String> params, Map<String, String> sweepPoint, Diagnose diagnose) {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    /**
     * The sample step's settings.
     *
     * @param n       samples per grid
     * @param kValues Langevin step counts for the transition strip (reply to reviewers: 0 to 2K)
     * @param seed    seed of the sampling chains
     */
    public record Sample(int n, List<Integer> kValues, long seed) {
        public Sample {
            kValues = List.copyOf(kValues);
        }
    }

    /**
     * The diagnose step's settings: long chains on a checkpoint and a convergent / non-convergent verdict.
     *
     * @param longRun         chain length, chains, sampler, eps, starts and seed
     * @param everyCheckpoint diagnose every checkpoint, not only the run's last
     */
    public record Diagnose(LongRunSettings longRun, boolean everyCheckpoint) {
        /** 100,000 steps (images) or 10,000 (toys) of the training chain, 16 chains each from noise and data. */
        public static Diagnose defaults(boolean toy, long seed) {
            return new Diagnose(new LongRunSettings(toy ? LongRunSettings.TOY_STEPS : LongRunSettings.IMAGE_STEPS,
                    16, LongRunSettings.Sampler.PLAIN, null, LongRunSettings.Starts.BOTH, seed), false);
        }
    }

    /**
     * Where the run is recorded.
     *
     * @param mlflowUri  MLflow tracking server, or null to record in local files only
     * @param experiment MLflow experiment name
     * @param trigger    manual, schedule or ci (a tag telling why the run happened)
     */
    public record Tracking(String mlflowUri, String experiment, String trigger) {
    }

    /**
     * Which Beam runner executes the pipeline.
     *
     * @param kind        flink-embedded, flink-cluster or direct
     * @param flinkMaster host:port of the Flink job manager (flink-cluster only, else null)
     */
    public record Runner(String kind, String flinkMaster) {
    }

    /**
     * Compute resources of the run.
     *
     * @param parallelism      runs (or steps) executed at once
     * @param threadsPerWorker PyTorch intra-op threads per worker
     * @param device           cpu or gpu
     */
    public record Resources(int parallelism, int threadsPerWorker, String device) {
    }

    public RunSpec {
        if (pipeline == null || runName == null || specHash == null || train == null || sample == null
                || tracking == null || runner == null || resources == null || outputDir == null || steps == null
                || params == null || sweepPoint == null) {
            throw new IllegalArgumentException("a run spec needs pipeline, runName, specHash, train, steps, sample, "
                    + "tracking, runner, resources, outputDir, params and sweepPoint");
        }
        steps = List.copyOf(steps);
        if (diagnose == null) {
            diagnose = Diagnose.defaults(train.data().isToy(), train.seed());
        }
        params = Collections.unmodifiableSortedMap(new TreeMap<>(params));
        sweepPoint = Collections.unmodifiableMap(new LinkedHashMap<>(sweepPoint));
    }

    /** Without diagnose settings: the step's defaults. */
    public RunSpec(String pipeline, String runName, String specHash, TrainConfig train, List<String> steps,
                   Sample sample, Tracking tracking, Runner runner, Resources resources, String outputDir,
                   SortedMap<String, String> params, Map<String, String> sweepPoint) {
        this(pipeline, runName, specHash, train, steps, sample, tracking, runner, resources, outputDir, params,
                sweepPoint, null);
    }

    public boolean isSweepPoint() {
        return !sweepPoint.isEmpty();
    }

    /** One-line JSON: how Beam carries runs between steps. */
    public String toJson() {
        return GSON.toJson(this);
    }

    public static RunSpec fromJson(String json) {
        try {
            RunSpec spec = GSON.fromJson(json, RunSpec.class);
            if (spec == null) {
                throw new IllegalArgumentException("empty run spec JSON");
            }
            return spec;
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("not a run spec JSON: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // Gson wraps the record constructor's complaint (a missing field) in a bare RuntimeException.
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException("not a run spec JSON: " + cause.getMessage(), e);
        }
    }
}
