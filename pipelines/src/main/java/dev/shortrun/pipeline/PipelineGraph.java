package dev.shortrun.pipeline;

import dev.shortrun.steps.CheckpointRef;
import dev.shortrun.steps.CheckpointStepFn;
import dev.shortrun.steps.PrepareStep;
import dev.shortrun.steps.RunSpec;
import dev.shortrun.steps.StepRegistry;
import dev.shortrun.steps.StepResult;
import dev.shortrun.steps.TrainStep;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.Filter;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Builds the Beam graph of a pipeline or sweep: runs -> prepare (decode data once) -> train -> checkpoints -> each
 * named step -> result rows.
 * Steps are looked up by name in {@link StepRegistry}; the builder knows none of them.
 */
public final class PipelineGraph {
    private PipelineGraph() {
    }

    /**
     * @param resultsPrefix where result rows are written (TextIO shards {@code prefix-*.jsonl})
     * @param parentRunId   the sweep's parent tracking run, or null
     */
    public static Pipeline build(List<RunSpec> runs, PipelineOptions options, Path resultsPrefix,
                                 String parentRunId) {
        Pipeline pipeline = Pipeline.create(options);
        PCollection<CheckpointRef> checkpoints = pipeline
                .apply("Runs", Create.of(runs).withCoder(RunSpec.Coder.of()))
                // one run per worker slot: without this a runner may keep every run on the first slot
                .apply("Spread", Reshuffle.viaRandomKey())
                // decode each distinct data set once into <output>/cache before the runs read it
                .apply("Prepare", new PrepareStep())
                .apply("Train", new TrainStep(parentRunId));
        List<PCollection<StepResult>> results = new ArrayList<>();
        for (String step : new TreeSet<>(runs.stream().flatMap(r -> r.steps().stream()).toList())) {
            results.add(checkpoints
                    .apply("Runs with " + step, Filter.by(ref -> ref.spec().steps().contains(step)))
                    .apply(step, CheckpointStepFn.transform(StepRegistry.get(step))));
        }
        if (!results.isEmpty()) {
            PCollectionList.of(results).apply("All results", Flatten.pCollections())
                    .apply("As JSON lines", MapElements.into(TypeDescriptors.strings()).via(StepResult::toJson))
                    .apply("Write results", TextIO.write().to(resultsPrefix.toString()).withSuffix(".jsonl"));
        }
        return pipeline;
    }
}
