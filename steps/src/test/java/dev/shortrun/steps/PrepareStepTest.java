package dev.shortrun.steps;

import dev.shortrun.model.data.DataConfig;
import dev.shortrun.model.data.DatasetCache;
import dev.shortrun.model.data.DatasetFormats;
import dev.shortrun.model.data.ImageDataset;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestPipeline;
import org.apache.beam.sdk.testing.TestPipelineExtension;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The prepare transform on the DirectRunner: each distinct image data set decoded once, runs passed through. */
@ExtendWith(TestPipelineExtension.class)
class PrepareStepTest {
    @TempDir
    Path tmp;

    @Test
    void decodesEachDistinctDataSetOnceAndPassesRunsThrough(TestPipeline p) throws IOException {
        Path mnist = Path.of(System.getProperty("shortrun.shared", "../../shared")).resolve("data/mnist");
        Path cache = tmp.resolve("cache");
        DataConfig data = new DataConfig("mnist", mnist.toString(), "test", 32, 100, cache.toString());
        List<RunSpec> runs = List.of(TestRuns.image("a", data), TestRuns.image("b", data),
                TestRuns.image("c", data.withCacheDir(null)),
                TestRuns.image("toy", new DataConfig("gmm", null, "train", 1, 0, cache.toString())));

        PCollection<RunSpec> out = p.apply(Create.of(runs)).apply(new PrepareStep());
        PAssert.that(out).containsInAnyOrder(runs);
        p.run().waitUntilFinish();

        try (Stream<Path> files = Files.list(cache)) {
            assertEquals(1, files.count(), "one cache file for the one distinct image data set");
        }
        Path file = DatasetCache.pathFor(cache, "mnist", "test", 32, 100,
                DatasetFormats.image("mnist").sourceMd5(mnist, "test"));
        assertTrue(Files.isRegularFile(file), file.toString());
        ImageDataset decoded = DatasetFormats.image("mnist").read(mnist, "test", 32, 100);
        assertEquals(decoded.contentMd5(), DatasetCache.read(file).contentMd5());
    }
}
