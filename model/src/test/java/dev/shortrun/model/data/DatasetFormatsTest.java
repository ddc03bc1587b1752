package dev.shortrun.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shortrun.model.TestSupport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The data set registry and reading image data through it. */
class DatasetFormatsTest {
    @Test
    void registryListsEveryFormatOnceWithItsKind() {
        // the papers' data sets first, in this order; one added later comes after them
        assertEquals(List.of("mnist", "fashion-mnist", "cifar10", "folder", "gmm", "rings"),
                DatasetFormats.names().subList(0, 6));
        assertEquals(List.of("mnist", "fashion-mnist", "cifar10", "folder"), DatasetFormats.imageNames().subList(0, 4));
        assertEquals(List.of("gmm", "rings"), DatasetFormats.toyNames().subList(0, 2));
        assertEquals(List.of(1, 1, 3, 3), DatasetFormats.imageNames().subList(0, 4).stream()
                .map(name -> DatasetFormats.get(name).channels()).toList());
        assertEquals(DatasetFormats.names(), List.copyOf(DatasetFormats.descriptions().keySet()));
        for (DatasetFormat f : DatasetFormats.all()) {
            assertFalse(f.description().isBlank(), f.name());
            assertSame(f, DatasetFormats.get(f.name()));
            assertEquals(f.isToy(), f instanceof ToyDistribution, f.name());
            assertTrue(f.isToy() ? f.channels() == 2 : f.channels() == 1 || f.channels() == 3, f.name());
        }
    }

    /** The README's table is the registry: every data set with its one-line description. */
    @Test
    void theReadmeListsEveryDataSet() {
        TestSupport.assertReadmeTableRows(DatasetFormats.descriptions());
    }

    @Test
    void unknownOrWrongKindNamesTheRegisteredOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatasetFormats.image("celeba"));
        assertEquals("unknown dataset 'celeba' (registered: " + String.join(", ", DatasetFormats.names()) + ")",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DatasetFormats.image("gmm"));
        assertEquals("dataset gmm is a 2D toy, not an image data set (image data sets: "
                + String.join(", ", DatasetFormats.imageNames()) + ")", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DatasetFormats.toy("mnist"));
        assertEquals("dataset mnist is not a 2D toy (toys: " + String.join(", ", DatasetFormats.toyNames()) + ")",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new DataConfig("celeba", "/data", "train", 32, 0).open());
        assertTrue(e.getMessage().startsWith("unknown dataset 'celeba' (registered: "), e.getMessage());
    }

    /** A toy opens as fresh draws, an image data set as its decoded images; both by the config's name alone. */
    @Test
    void dataConfigOpensThroughTheRegistry() {
        assertTrue(new DataConfig("rings", null, "train", 1, 0).open() instanceof ToySource);
        PositiveSource mnist = new DataConfig("mnist", SharedData.dir("mnist").toString(), "test", 32, 50).open();
        assertArrayEquals(new long[] {1, 32, 32}, mnist.exampleShape());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DataConfig("cifar10", null, "train", 32, 0).open());
        assertEquals("dataset cifar10 needs a data directory (--data-dir)", e.getMessage());
    }

    @Test
    void badSplit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DatasetFormats.image("cifar10").read(SharedData.dir("cifar10-sample"), "val", 32, 0));
        assertEquals("split must be 'train' or 'test', got 'val'", e.getMessage());
    }

    @Test
    void capKeepsFirstExamplesAndChangesIdentity() {
        ImageDataset all = DatasetFormats.image("cifar10").read(SharedData.dir("cifar10-sample"), "test", 32, 0);
        ImageDataset ten = DatasetFormats.image("cifar10").read(SharedData.dir("cifar10-sample"), "test", 32, 10);
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
    void mnistThroughTheRegistry() {
        ImageDataset d = DatasetFormats.image("mnist").read(SharedData.dir("mnist"), "test", 32, 100);
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
