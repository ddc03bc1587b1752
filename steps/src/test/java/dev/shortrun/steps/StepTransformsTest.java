package dev.shortrun.steps;

import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The train step and a checkpoint step as Beam transforms on the DirectRunner, with typed elements: a run in, its
 * checkpoints out; checkpoints in, result rows out.
 */
@ExtendWith(TestPipelineExtension.class)
class StepTransformsTest {
    @TempDir
    Path tmp;

    @Test
    void trainEmitsEveryCheckpointAndSampleOneRowEach(TestPipeline p) {
        RunSpec run = TestRuns.run("toy-run", TestRuns.toy(20, 10), List.of(SampleStep.NAME),
                tmp.resolve("p/toy-run").toString(), Map.of());

        PCollection<CheckpointRef> checkpoints = p.apply(Create.of(run)).apply(new TrainStep(null));
        PAssert.that(checkpoints.apply("Iterations", MapElements.into(TypeDescriptors.strings())
                .via(ref -> ref.iteration() + (ref.last() ? " last" : ""))))
                .containsInAnyOrder("10", "20 last");
        PAssert.that(checkpoints.apply("Their run", MapElements.into(TypeDescriptors.strings())
                .via(ref -> ref.spec().runName()))).containsInAnyOrder("toy-run", "toy-run");

        PCollection<StepResult> results = checkpoints.apply(CheckpointStepFn.transform(SampleStep.STEP));
        PAssert.that(results).satisfies(rows -> {
            int count = 0;
            for (StepResult row : rows) {
                count++;
                assertEquals("sample", row.step());
                assertTrue(Double.isFinite(row.metrics().get("sample_grad_norm")), row.toString());
                row.artifacts().forEach(a -> assertTrue(Files.isRegularFile(Path.of(a)), a));
                assertEquals(row.iteration() == 20 ? 2 : 1, row.artifacts().size(), "the strip on the last only");
            }
            assertEquals(2, count);
            return null;
        });
        p.run().waitUntilFinish();
        assertTrue(Files.isRegularFile(tmp.resolve("p/toy-run/steps/sample-iter-000020.json")),
                "the finished step is recorded for reuse");
    }
}
