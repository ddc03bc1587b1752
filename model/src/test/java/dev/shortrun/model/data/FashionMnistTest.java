package dev.shortrun.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Real Fashion-MNIST from the Debian package. Deliberately fails (never skips) when the files are absent:
 * CI installs the package, so a missing copy is a broken environment.
 */
class FashionMnistTest {
    private static Path dir() {
        Path dir = Path.of(System.getProperty("shortrun.fashion", "/usr/share/datasets/fashion-mnist"));
        assertTrue(Files.isRegularFile(dir.resolve("t10k-images-idx3-ubyte.gz")),
                "Fashion-MNIST not found in " + dir + ": install it with 'apt-get install -y dataset-fashion-mnist'"
                        + " (or point -Dshortrun.fashion at a folder with the four IDX files)");
        return dir;
    }

    @Test
    void testSplitLoadsAndMatchesKnownChecksums() {
        ImageDataset d = DatasetFormats.image("fashion-mnist").read(dir(), "test", 32, 0);
        assertEquals(10000, d.count());
        assertEquals(32, d.imageSize());
        assertEquals(9, d.labels()[0], "first test item is an ankle boot");
        assertEquals("4d5a0f7255f308357677b3d1107099db", d.contentMd5(), "zcat of t10k images then labels");
    }

    @Test
    void trainSplitAt28() {
        ImageDataset d = DatasetFormats.image("fashion-mnist").read(dir(), "train", 28, 0);
        assertEquals(60000, d.count());
        assertEquals(28, d.imageSize());
        assertEquals(9, d.labels()[0], "first training item is an ankle boot");
    }
}
