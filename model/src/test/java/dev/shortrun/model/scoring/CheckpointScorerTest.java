package dev.shortrun.model.scoring;

import dev.shortrun.model.TestSupport;
import dev.shortrun.model.data.DataConfig;
import dev.shortrun.model.data.DatasetFormats;
import dev.shortrun.model.learning.LearnerConfig;
import dev.shortrun.model.learning.OptimizerConfig;
import dev.shortrun.model.learning.Schedule;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.metrics.FeatureNetwork;
import dev.shortrun.model.metrics.LeNet;
import dev.shortrun.model.metrics.UInt8Images;
import dev.shortrun.model.nets.NetConfig;
import dev.shortrun.model.run.Trainer;
import dev.shortrun.model.sampling.Initializer;
import dev.shortrun.model.sampling.LangevinConfig;
import dev.shortrun.model.torch.Torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A checkpoint scored end to end with the offline LeNet: samples rounded to bytes, features, FID against cached
 * training statistics, IS; repeatable from the seed; and the Inception path fails with how to get the network.
 */
class CheckpointScorerTest {

    @Test
    void scoresAnMnistCheckpointWithTheLeNet(@TempDir Path dir) throws Exception {
        Torch.configure(1);
        Path mnist = TestSupport.sharedData("mnist");
        DataConfig data = new DataConfig("mnist", mnist.toString(), "train", 32, 500);
        TrainConfig config = new TrainConfig(data, NetConfig.shortRun(32, 1, 4), LangevinConfig.shortRun(5),
                new LearnerConfig(8, Schedule.constant(0.03), Schedule.constant(1e-4), OptimizerConfig.adam(),
                        Initializer.uniform(), 1e6), 1, 2, 2, 2);
        Path checkpoint = Trainer.start(config, dir.resolve("run"), new Trainer.Listener() {
        }).lastCheckpoint();
        // a small LeNet placed where obtain() looks, so the test does not train the full recipe
        Path lenets = dir.resolve("lenet");
        String md5 = DatasetFormats.image("mnist").sourceMd5(mnist, "train");
        LeNet.train(DatasetFormats.image("mnist").read(mnist, "train", 32, 2000),
                DatasetFormats.image("mnist").read(mnist, "test", 32, 500),
                md5, new LeNet.Recipe(1, 1, 64, 1e-3), LeNet.dirFor(lenets, "mnist", md5),
                FeatureNetwork.Progress.NONE);
        CheckpointScorer.Settings settings = new CheckpointScorer.Settings(40, 16, 3, 10,
                CheckpointScorer.Networks.AUTO, 300, dir.resolve("no-inception"), lenets, dir.resolve("stats"));

        Map<String, Double> first = CheckpointScorer.score(checkpoint, settings, CheckpointScorer.Listener.NONE);
        System.out.println("2-iteration MNIST EBM, 40 samples: " + first);
        assertEquals(40.0, first.get("score_n"));
        assertTrue(first.get("fid_lenet") > 1, "noise-like samples are far from MNIST: " + first);
        assertTrue(first.get("is_lenet") >= 1 && first.get("is_lenet") <= 10, first.toString());
        try (Stream<Path> stats = Files.list(dir.resolve("stats"))) {
            assertEquals(1, stats.count(), "reference statistics cached once");
        }
        assertEquals(first, CheckpointScorer.score(checkpoint, settings, CheckpointScorer.Listener.NONE),
                "same seed, same scores (the second time from cached statistics)");

        CheckpointScorer.Settings inception = new CheckpointScorer.Settings(40, 16, 3, 10,
                CheckpointScorer.Networks.INCEPTION, 300, dir.resolve("no-inception"), lenets, dir.resolve("stats"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CheckpointScorer.score(checkpoint, inception, CheckpointScorer.Listener.NONE));
        assertTrue(e.getMessage().contains("fetch-inception"), e.getMessage());
    }

    @Test
    void modelSamplesRoundToBytesAsSavedPictures() {
        // clamp to [-1, 1], (x + 1) / 2, then torchvision's mul(255).add(0.5) and truncation
        UInt8Images u = UInt8Images.fromModelSpace(new dev.shortrun.model.io.Tensor(new long[] {1, 1, 1, 5},
                new float[] {-3f, -1f, 0f, 0.5f, 7f}));
        assertEquals(0, u.at(0));
        assertEquals(0, u.at(1));
        assertEquals(128, u.at(2)); // 127.5 + 0.5 = 128
        assertEquals(191, u.at(3)); // 191.25 + 0.5 -> 191
        assertEquals(255, u.at(4));
    }
}
