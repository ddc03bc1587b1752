package dev.shortrun.steps;

import dev.shortrun.model.data.DataConfig;
import dev.shortrun.model.data.DatasetCache;
import dev.shortrun.model.data.DatasetFormats;
import dev.shortrun.model.data.ImageDataset;
import dev.shortrun.model.learning.LearnerConfig;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.nets.NetConfig;
import dev.shortrun.model.sampling.LangevinConfig;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.io.TextIO;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrepareStepTest {
    @TempDir
    Path tmp;

    private static String spec(String name, DataConfig data) {
        TrainConfig train = new TrainConfig(data, NetConfig.shortRun(32, 1, 8), LangevinConfig.shortRun(5),
                LearnerConfig.shortRun(), 1, 2, 1, 1);
        return new RunSpec("p", name, "0123456789ab", train, List.of(), new RunSpec.Sample(4, List.of(0), 1),
                new RunSpec.Tracking(null, "p", "manual"), new RunSpec.Runner("direct", null),
                new RunSpec.Resources(1, 1, "cpu"), "/runs/p/" + name, new TreeMap<>(Map.of()), Map.of()).toJson();
    }

    @Test
    void decodesEachDistinctDataSetOnceAndPassesSpecsThrough() throws IOException {
        Path mnist = Path.of(System.getProperty("shortrun.shared", "../../shared")).resolve("data/mnist");
        Path cache = tmp.resolve("cache");
        DataConfig data = new DataConfig("mnist", mnist.toString(), "test", 32, 100, cache.toString());
        List<String> specs = List.of(spec("a", data), spec("b", data), spec("c", data.withCacheDir(null)),
                spec("toy", new DataConfig("gmm", null, "train", 1, 0, cache.toString())));

        PipelineOptions options = PipelineOptionsFactory.create();
        options.setRunner(DirectRunner.class);
        Pipeline p = Pipeline.create(options);
        p.apply(Create.of(specs).withCoder(StringUtf8Coder.of())).apply(new PrepareStep())
                .apply(TextIO.write().to(tmp.resolve("out").toString()).withSuffix(".txt"));
        p.run().waitUntilFinish();

        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(tmp)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("out")).toList()) {
                out.addAll(Files.readAllLines(f));
            }
        }
        assertEquals(specs.stream().sorted().toList(), out.stream().sorted().toList());
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
