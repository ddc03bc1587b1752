package dev.shortrun.model.metrics;

import dev.shortrun.model.TestSupport;
import dev.shortrun.model.data.DatasetFormats;
import dev.shortrun.model.data.ImageDataset;
import dev.shortrun.model.torch.Torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The offline metric network: it learns MNIST, is reproducible from its seed, and refuses tampered weights. */
class LeNetTest {
    private static final LeNet.Recipe RECIPE = new LeNet.Recipe(1, 1, 64, 1e-3);

    @BeforeAll
    static void engine() {
        Torch.configure(1);
    }

    @Test
    void learnsMnistReproduciblyAndChecksItsWeights(@TempDir Path dir) throws Exception {
        Path mnist = TestSupport.sharedData("mnist");
        ImageDataset train = DatasetFormats.image("mnist").read(mnist, "train", 32, 3000);
        ImageDataset test = DatasetFormats.image("mnist").read(mnist, "test", 32, 1000);
        long start = System.nanoTime();
        LeNet.Manifest m = LeNet.train(train, test, "md5", RECIPE, dir.resolve("a"), FeatureNetwork.Progress.NONE);
        System.out.printf("LeNet on 3000 MNIST images, 1 epoch: %.1f s, test accuracy %.3f%n",
                (System.nanoTime() - start) / 1e9, m.testAccuracy());
        assertTrue(m.testAccuracy() > 0.75, "accuracy " + m.testAccuracy());

        LeNet.Manifest again = LeNet.train(train, test, "md5", RECIPE, dir.resolve("b"), FeatureNetwork.Progress.NONE);
        assertEquals(m.paramsSha256(), again.paramsSha256(), "same seed, same data: same weights");

        try (LeNet net = LeNet.load(dir.resolve("a"))) {
            assertEquals(m.testAccuracy(), net.accuracy(test), 1e-12);
            FeatureNetwork.Features f = net.run(UInt8Images.fromDataset(test).first(7), FeatureNetwork.Progress.NONE);
            assertEquals(84, f.features()[0].length);
            assertEquals(10, f.logits()[0].length);
        }
        Path params = dir.resolve("a").resolve("lenet-0000.params");
        byte[] bytes = Files.readAllBytes(params);
        bytes[bytes.length - 1] ^= 1;
        Files.write(params, bytes);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> LeNet.load(dir.resolve("a")));
        assertTrue(e.getMessage().contains("sha256"), e.getMessage());
    }
}
