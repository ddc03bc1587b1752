package dev.shortrun.pipeline;

import dev.shortrun.config.CommandLineValue;
import dev.shortrun.config.SpecLoader;
import dev.shortrun.model.io.Safetensors;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.learning.IterationMetrics;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.steps.RunSpec;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same small pipeline on Beam's DirectRunner and on embedded Flink gives the same runs, bit for bit. */
class RunnersAgreeTest {
    @Test
    void directAndEmbeddedFlinkGiveIdenticalResults(@TempDir Path dir) throws Exception {
        Path spec = TinySpecs.toyPipeline(dir, "agree");
        Path direct = run(spec, "direct", dir.resolve("out-direct"));
        Path flink = run(spec, "flink-embedded", dir.resolve("out-flink"));

        Path directCkpt = new RunDirectory(direct).newestCheckpoint().orElseThrow();
        Path flinkCkpt = new RunDirectory(flink).newestCheckpoint().orElseThrow();
        assertEquals("iter-000006.json", directCkpt.getFileName().toString());
        assertEquals(directCkpt.getFileName(), flinkCkpt.getFileName());
        Map<String, Tensor> a = Safetensors.read(directCkpt.resolveSibling("iter-000006.safetensors")).tensors();
        Map<String, Tensor> b = Safetensors.read(flinkCkpt.resolveSibling("iter-000006.safetensors")).tensors();
        assertEquals(a.keySet(), b.keySet());
        a.forEach((name, t) -> assertArrayEquals(t.data(), b.get(name).data(), name + " differs between runners"));
        assertEquals(withoutSeconds(direct.resolve("metrics.csv")), withoutSeconds(flink.resolve("metrics.csv")));
        for (Path runDir : List.of(direct, flink)) {
            assertTrue(Files.exists(runDir.resolve("samples/fresh-iter-000003.png")), "sample step, checkpoint 3");
            assertTrue(Files.exists(runDir.resolve("samples/fresh-iter-000006.png")), "sample step, checkpoint 6");
            assertTrue(Files.exists(runDir.resolve("samples/k-transition-iter-000006.png")), "transition strip");
            assertTrue(Files.exists(runDir.resolve("spec.json")));
        }
    }

    private static Path run(Path spec, String runner, Path output) {
        List<RunSpec> runs = new SpecLoader().loadPipeline(spec, CommandLineValue.sets(List.of("runner.kind=" + runner,
                "output=" + output)));
        RunSpec only = runs.get(0);
        PipelineResult result = PipelineGraph.build(runs, Runners.options(runner, null, 2, "test-" + runner),
                output.resolve("results/r"), null).run();
        assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());
        return Path.of(only.outputDir());
    }

    /** metrics.csv without its wall-clock column: everything else must agree to the bit. */
    static List<String> withoutSeconds(Path csv) throws Exception {
        List<String> lines = Files.readAllLines(csv);
        int column = List.of(lines.get(0).split(",")).indexOf(IterationMetrics.SECONDS_PER_ITERATION.name());
        assertTrue(column >= 0, "metrics.csv has a seconds column: " + lines.get(0));
        return lines.stream().map(line -> {
            List<String> cells = new java.util.ArrayList<>(List.of(line.split(",", -1)));
            cells.remove(column);
            return String.join(",", cells);
        }).toList();
    }
}
