package dev.shortrun.pipeline;

import dev.shortrun.config.CommandLineValue;
import dev.shortrun.config.SpecLoader;
import dev.shortrun.steps.RunSpec;
import dev.shortrun.steps.StepResult;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generator steps in a pipeline on real MNIST, trained from low-resolution starts: interpolation, reconstruction
 * (Table 1b MSE against the mean-image baseline) and super-resolution each write their picture, log their numbers
 * and hand them to the results, on the final checkpoint only.
 */
class GeneratorPipelineTest {
    @Test
    void interpolateReconstructAndSuperresRunOnTheFinalCheckpoint(@TempDir Path dir) throws Exception {
        Path mnist = PipelineTestFiles.mnistDir();
        Path spec = dir.resolve("gen.yaml");
        Files.writeString(spec, String.join("\n",
                "name: gen",
                "dataset: {name: mnist, dir: " + mnist + ", cap: 200}",
                "model: {n_f: 4, activation: gelu}",
                "sampler: {K: 3, init: lowres, lowres_size: 8}",
                "learner: {iterations: 2, batch: 8, lr: 1.0e-3}",
                "checkpoints: {every: 1, grid_every: 2}",
                "steps: [interpolate, reconstruct, superres]",
                "interpolate: {pairs: 2, points: 4}",
                "reconstruct: {n: 6, steps: 3, batch: 6}",
                "superres: {low: 8, n: 3, seeds: 2}",
                "resources: {parallelism: 1, threads_per_worker: 1}",
                ""));
        Path output = dir.resolve("out");
        List<RunSpec> runs = new SpecLoader().loadPipeline(spec, CommandLineValue.sets(List.of("runner.kind=direct",
                "output=" + output)));
        PipelineResult result = PipelineGraph.build(runs, Runners.options("direct", null, 1, "test-generator"),
                output.resolve("results/r"), null).run();
        assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());

        Map<String, StepResult> byStep = PipelineTestFiles.results(output.resolve("results")).stream()
                .collect(Collectors.toMap(StepResult::step, Function.identity()));
        assertEquals(List.of("interpolate", "reconstruct", "superres"), byStep.keySet().stream().sorted().toList(),
                "each step once, on the final checkpoint");
        byStep.values().forEach(r -> assertEquals(2, r.iteration(), r.step()));

        Map<String, Double> recon = byStep.get("reconstruct").metrics();
        assertTrue(recon.get("recon_mse") > 0 && recon.get("recon_mse") < 4, "MSE per pixel in [-1, 1]: " + recon);
        assertTrue(recon.get("recon_baseline_mse") > 0, recon.toString());
        assertTrue(recon.get("recon_seconds_per_step") > 0, recon.toString());
        double superres = byStep.get("superres").metrics().get("superres_mse");
        assertTrue(superres >= 0 && superres < 4, "superres_mse " + superres);

        RunSpec run = runs.get(0);
        Path tracking = output.resolve("gen").resolve("tracking").resolve(run.runName());
        String metrics = Files.readString(tracking.resolve("metrics.csv"));
        assertTrue(metrics.contains("2,recon_mse,") && metrics.contains("2,superres_mse,"), metrics);
        for (StepResult r : byStep.values()) {
            assertEquals(1, r.artifacts().size(), r.step());
            Path png = Path.of(r.artifacts().get(0));
            assertNotNull(ImageIO.read(png.toFile()), png.toString());
            assertTrue(Files.isRegularFile(tracking.resolve("artifacts/generator").resolve(png.getFileName())),
                    "uploaded: " + png);
        }
    }
}
