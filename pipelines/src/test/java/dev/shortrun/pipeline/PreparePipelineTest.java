package dev.shortrun.pipeline;

import dev.shortrun.config.CommandLineValue;
import dev.shortrun.config.SpecLoader;
import dev.shortrun.model.data.DatasetCache;
import dev.shortrun.model.data.DatasetFormats;
import dev.shortrun.model.run.Checkpoint;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.steps.RunSpec;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An MNIST pipeline on embedded Flink: prepare decodes into {@code <output>/cache}, then training reads it. */
class PreparePipelineTest {
    @Test
    void mnistPipelineFillsTheCacheBeforeTraining(@TempDir Path dir) throws Exception {
        Path mnist = PipelineTestFiles.mnistDir();
        Path spec = dir.resolve("prep.yaml");
        Files.writeString(spec, String.join("\n",
                "name: prep",
                "dataset: {name: mnist, dir: " + mnist + ", cap: 200}",
                "model: {n_f: 8}",
                "sampler: {K: 2}",
                "learner: {iterations: 2, batch: 8, lr: 1.0e-3}",
                "checkpoints: {every: 2, grid_every: 2}",
                "resources: {parallelism: 1, threads_per_worker: 1}",
                ""));
        Path output = dir.resolve("out");
        List<RunSpec> runs = new SpecLoader().loadPipeline(spec,
                CommandLineValue.sets(List.of("runner.kind=flink-embedded",
                "output=" + output)));
        RunSpec run = runs.get(0);
        assertEquals(output.resolve("cache").toAbsolutePath().normalize().toString(), run.train().data().cacheDir());
        PipelineResult result = PipelineGraph.build(runs, Runners.options("flink-embedded", null, 1, "test-prep"),
                output.resolve("results/r"), null).run();
        assertEquals(PipelineResult.State.DONE, result.waitUntilFinish());

        Path file = DatasetCache.pathFor(output.resolve("cache"), "mnist", "train", 32, 200,
                DatasetFormats.image("mnist").sourceMd5(mnist, "train"));
        try (Stream<Path> files = Files.list(output.resolve("cache"))) {
            assertEquals(List.of(file.getFileName().toString()),
                    files.map(p -> p.getFileName().toString()).toList());
        }
        Checkpoint last = Checkpoint.read(new RunDirectory(Path.of(run.outputDir())).newestCheckpoint().orElseThrow());
        assertEquals(2, last.iteration());
        assertTrue(last.dataFingerprint().endsWith(DatasetCache.read(file).contentMd5()), last.dataFingerprint());
        assertTrue(last.dataFingerprint().endsWith(
                DatasetFormats.image("mnist").read(mnist, "train", 32, 200).contentMd5()));
    }
}
