package dev.shortrun.pipeline;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import dev.shortrun.config.CommandLineValue;
import dev.shortrun.config.SpecException;
import dev.shortrun.config.SpecLoader;
import dev.shortrun.steps.DiagnoseStep;
import dev.shortrun.steps.RunSpec;
import dev.shortrun.steps.StepResult;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The diagnose step in a pipeline on real MNIST: verdict tag, numbers as metrics, pictures as artifacts. */
class DiagnosePipelineTest {
    private static Path spec(Path dir, String steps, String diagnose) throws Exception {
        Path mnist = PipelineTestFiles.mnistDir();
        Path spec = dir.resolve("diag.yaml");
        Files.writeString(spec, String.join("\n",
                "name: diag",
                "dataset: {name: mnist, dir: " + mnist + ", cap: 200}",
                "model: {n_f: 4}",
                "sampler: {K: 2}",
                "learner: {iterations: 2, batch: 8, lr: 1.0e-3}",
                "checkpoints: {every: 1, grid_every: 2}",
                "steps: " + steps,
                diagnose,
                "resources: {parallelism: 1, threads_per_worker: 1}",
                ""));
        return spec;
    }

    @Test
    void diagnoseStepTagsTheVerdictAndLogsItsNumbersAndPictures(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("out");
        List<RunSpec> runs = new SpecLoader().loadPipeline(spec(dir, "[diagnose]",
                "diagnose: {steps: 30, chains: 3, sampler: mala}"),
                        CommandLineValue.sets(List.of("runner.kind=direct", "output=" + output)));
        RunSpec run = runs.get(0);
        assertEquals(30, run.settings(DiagnoseStep.STEP).longRun().steps());
        PipelineResult result = PipelineGraph.build(runs, Runners.options("direct", null, 1, "test-diagnose"),
                output.resolve("results/r"), null).run();
        assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());

        // two checkpoints, but only the last is diagnosed by default
        List<StepResult> rows = PipelineTestFiles.results(output.resolve("results"));
        assertEquals(1, rows.size(), rows.toString());
        StepResult row = rows.get(0);
        assertEquals(DiagnoseStep.NAME, row.step());
        assertEquals(2, row.iteration());
        assertEquals(30.0, row.metrics().get("longrun_steps"));
        double acceptance = row.metrics().get("longrun_acceptance");
        assertTrue(acceptance >= 0 && acceptance <= 1, "acceptance " + acceptance);
        double convergent = row.metrics().get("longrun_convergent");

        Path tracking = output.resolve("diag").resolve("tracking").resolve(run.runName());
        Map<String, String> tags = new Gson().fromJson(Files.readString(tracking.resolve("tags.json")),
                new TypeToken<Map<String, String>>() {}.getType());
        String verdict = tags.get(DiagnoseStep.VERDICT_TAG);
        assertEquals(convergent == 1.0 ? "convergent" : "non-convergent", verdict, "tag agrees with the metric");
        assertNotNull(tags.get(DiagnoseStep.VERDICT_TAG + "_reasons"));
        String metrics = Files.readString(tracking.resolve("metrics.csv"));
        assertTrue(metrics.contains("2,longrun_data_energy_q05,"), metrics);
        assertTrue(metrics.contains("2,longrun_noise_saturation,"), metrics);
        for (String file : List.of("longrun-iter-000002.png", "longrun-energy-iter-000002.png")) {
            assertNotNull(ImageIO.read(Path.of(run.outputDir()).resolve("diagnose").resolve(file).toFile()), file);
            assertTrue(Files.isRegularFile(tracking.resolve("artifacts/diagnose").resolve(file)), file);
        }
        assertTrue(Files.isRegularFile(tracking.resolve("artifacts/diagnose/longrun-iter-000002.json")));
    }

    @Test
    void diagnoseSettingsWithoutTheStepAreAnError(@TempDir Path dir) throws Exception {
        Path spec = spec(dir, "[sample]", "diagnose: {steps: 30}");
        SpecException e = assertThrows(SpecException.class, () -> new SpecLoader().loadPipeline(spec,
                CommandLineValue.sets(List.of("output=" + dir))));
        assertTrue(e.getMessage().contains("diagnose.steps") && e.getMessage().contains("add diagnose to steps"),
                e.getMessage());
    }
}
