package dev.shortrun.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetsTest {
    @Test
    void namesAndUnknownName() {
        assertEquals(List.of("mnist", "fashion-mnist", "cifar10", "folder"), Datasets.names());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Datasets.load("celeba", SharedData.dir("mnist"), "train", 64, 0));
        assertEquals("unknown data set 'celeba'; allowed: mnist, fashion-mnist, cifar10, folder", e.getMessage());
    }

    @Test
    void badSplit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Datasets.load("cifar10", SharedData.dir("cifar10-sample"), "val", 32, 0));
        assertEquals("split must be 'train' or 'test', got 'val'", e.getMessage());
    }

    @Test
    void capKeepsFirstExamplesAndChangesIdentity() {
        ImageDataset all = Datasets.load("cifar10", SharedData.dir("cifar10-sample"), "test", 32, 0);
        ImageDataset ten = Datasets.load("cifar10", SharedData.dir("cifar10-sample"), "test", 32, 10);
        assertEquals(761, all.count());
        assertEquals(10, ten.count());
        assertEquals(10 * all.dim(), ten.pixels().length);
        assertEquals(all.pixels()[9 * all.dim() + 77], ten.pixels()[9 * ten.dim() + 77]);
        assertEquals(all.labels()[9], ten.labels()[9]);
        assertNotEquals(all.contentMd5(), ten.contentMd5());
        assertEquals(ten.contentMd5(), all.cap(10).contentMd5());
        assertSame(all, all.cap(761));
    }

    @Test
    void mnistThroughEntryPoint() {
        ImageDataset d = Datasets.load("mnist", SharedData.dir("mnist"), "test", 32, 100);
        assertEquals(100, d.count());
        assertEquals(32, d.imageSize());
        assertEquals("mnist", d.name());
    }

    @Test
    void recordValidationNamesBadValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ImageDataset("x", 2, 1, 2, 2, new float[7], new int[2], "m"));
        assertEquals("pixels.length must be count*channels*height*width = 2*1*2*2 = 8, got 7", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ImageDataset("x", 2, 1, 2, 2, new float[8], new int[3], "m"));
        assertEquals("labels.length must equal count 2, got 3", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new ImageDataset("x", 0, 3, 0, 2, new float[0], new int[0], "m"));
        assertEquals("channels, height and width must be > 0, got 3x0x2", e.getMessage());
        IllegalStateException s = assertThrows(IllegalStateException.class,
                () -> new ImageDataset("x", 1, 1, 2, 3, new float[6], new int[1], "m").imageSize());
        assertEquals("images are not square: 2x3", s.getMessage());
    }
}
