package dev.shortrun.model.generator;

import ai.djl.ndarray.NDManager;
import dev.shortrun.model.data.DataConfig;
import dev.shortrun.model.learning.LearnerConfig;
import dev.shortrun.model.learning.OptimizerConfig;
import dev.shortrun.model.learning.Schedule;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.nets.Activation;
import dev.shortrun.model.nets.Architecture;
import dev.shortrun.model.nets.NetConfig;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.model.run.Trainer;
import dev.shortrun.model.sampling.Initializer;
import dev.shortrun.model.sampling.LangevinConfig;
import dev.shortrun.model.torch.Torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The generator the flow command and the toy flow density use is M_theta as trained: the training K (K_max when K
 * is drawn per iteration), never K = 0 (the identity, which once slipped in when 0 stopped meaning "the training K").
 */
class TrainedGeneratorTest {
    @Test
    void runsTheTrainingK(@TempDir Path dir) {
        Torch.configure(1);
        TrainConfig config = new TrainConfig(new DataConfig("gmm", null, "train", 1, 0),
                new NetConfig(Architecture.TOY, 2, 8, Activation.LEAKY_RELU, 0.05),
                new LangevinConfig(0.01, 0.01, 3, 7),
                new LearnerConfig(16, Schedule.constant(0.0), Schedule.constant(1e-3), OptimizerConfig.adam(),
                        Initializer.gaussian(2.0), 1e6), 1, 1, 1, 1);
        Path checkpoint = Trainer.start(config, dir.resolve("run"), new Trainer.Listener() {
        }).lastCheckpoint();
        try (NDManager manager = NDManager.newBaseManager();
             CheckpointSampler sampler = new CheckpointSampler(checkpoint, manager)) {
            assertEquals(7, GeneratorTasks.trainedGenerator(sampler).steps());
        }
    }
}
