package dev.shortrun.steps;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import dev.shortrun.model.learning.TrainConfig;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.values.TypeDescriptor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One fully resolved run of a pipeline: every default filled in, every value validated, built once by the spec
 * resolver and carried whole between the pipeline's steps ({@link JsonCoder}); its {@code specHash} names the run.
 *
 * @param pipeline     the pipeline (or sweep) name
 * @param runName      {@code <pipeline>-<hash>}, with a readable suffix of the swept values for sweep points
 * @param specHash     first 12 hex digits of SHA-256 over the settings that define the results (not runner,
 *                     tracking, resources or output: the same science elsewhere keeps its hash)
 * @param train        the training settings handed to the trainer
 * @param steps        step names to run after training, in order
 * @param stepSettings each step's typed settings (those of {@code steps}, and the sample step's always)
 * @param outputDir    the run directory: {@code <output>/<pipeline>/<runName>}
 * @param params       every resolved key path (e.g. {@code learner.lr}) with its value as text, for MLflow
 * @param sweepPoint   the swept key paths with this point's values, in axis order; empty when not swept
 */
@DefaultCoder(RunSpec.Coder.class)
public record RunSpec(String pipeline, String runName, String specHash, TrainConfig train, List<String> steps,
                      StepSettings stepSettings, Tracking tracking, Runner runner, Resources resources,
                      String outputDir, SortedMap<String, String> params, Map<String, String> sweepPoint) {
    private static final Gson GSON = gson();

    private static Gson gson() {
        GsonBuilder builder = new GsonBuilder().disableHtmlEscaping();
        Gson plain = builder.create();
        return builder.registerTypeAdapter(StepSettings.class, new StepSettings.Json(plain)).create();
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
     * @param device           cpu
     */
    public record Resources(int parallelism, int threadsPerWorker, String device) {
    }

    public RunSpec {
        if (pipeline == null || runName == null || specHash == null || train == null || stepSettings == null
                || tracking == null || runner == null || resources == null || outputDir == null || steps == null
                || params == null || sweepPoint == null) {
            throw new IllegalArgumentException("a run spec needs pipeline, runName, specHash, train, steps, "
                    + "stepSettings, tracking, runner, resources, outputDir, params and sweepPoint");
        }
        steps = List.copyOf(steps);
        params = Collections.unmodifiableSortedMap(new TreeMap<>(params));
        sweepPoint = Collections.unmodifiableMap(new LinkedHashMap<>(sweepPoint));
    }

    public boolean isSweepPoint() {
        return !sweepPoint.isEmpty();
    }

    /** The typed settings of one of the run's steps. */
    public <S> S settings(StepDefinition<S> step) {
        return stepSettings.get(step);
    }

    /** One-line JSON: the run's {@code spec.json}, and its form between pipeline steps. */
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

    /** Beam's coder of runs: their JSON, which is deterministic (fields in order, params sorted). */
    public static final class Coder extends JsonCoder<RunSpec> {
        public static Coder of() {
            return new Coder();
        }

        /** How {@code @DefaultCoder} finds this coder for the record. */
        public static CoderProvider getCoderProvider() {
            return CoderProviders.forCoder(TypeDescriptor.of(RunSpec.class), of());
        }

        @Override
        protected String write(RunSpec value) {
            return value.toJson();
        }

        @Override
        protected RunSpec read(String json) {
            return fromJson(json);
        }
    }
}
