package dev.shortrun.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shortrun.model.HostileFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {
    private static final float EPS = 1e-5f;
    @TempDir Path tmp;

    @BeforeEach
    void writeImages() throws IOException {
        Files.createDirectories(tmp.resolve("a"));
        Files.createDirectories(tmp.resolve("b"));
        // 64x32: blue | red | green; the centre crop keeps only the red middle.
        BufferedImage wide = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 64; x++) wide.setRGB(x, y, x < 16 ? 0x0000ff : x < 48 ? 0xff0000 : 0x00ff00);
        }
        ImageIO.write(wide, "png", tmp.resolve("a/wide.png").toFile());
        // 16x16 grey 128, stored as a one-channel PNG.
        BufferedImage grey = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) grey.getRaster().setSample(x, y, 0, 128);
        }
        ImageIO.write(grey, "png", tmp.resolve("b/grey.png").toFile());
        // 32x32, already the target size: pixels come through exactly.
        BufferedImage exact = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        exact.setRGB(5, 7, (10 << 16) | (200 << 8) | 255);
        ImageIO.write(exact, "png", tmp.resolve("root.png").toFile());
        Files.writeString(tmp.resolve("notes.txt"), "not an image, ignored");
    }

    @Test
    void readsSortedCroppedRgb() {
        ImageDataset d = ImageFolderReader.load(tmp, 32);
        assertEquals(3, d.count());
        assertEquals(3, d.channels());
        assertEquals(32, d.imageSize());
        assertArrayEquals(new int[] {0, 1, -1}, d.labels(), "a/wide.png, b/grey.png, root.png; class = top folder");
        float[] p = d.pixels();
        int plane = 32 * 32, dim = d.dim();
        for (int k = 0; k < plane; k++) {
            assertEquals(1f, p[k], EPS, "wide: red");
            assertEquals(-1f, p[plane + k], EPS, "wide: green");
            assertEquals(-1f, p[2 * plane + k], EPS, "wide: blue");
            for (int c = 0; c < 3; c++) assertEquals(128 / 255f * 2 - 1, p[dim + c * plane + k], EPS, "grey, channel " + c);
        }
        int at = 2 * dim + 7 * 32 + 5;
        assertEquals(10 / 255f * 2 - 1, p[at], EPS);
        assertEquals(200 / 255f * 2 - 1, p[at + plane], EPS);
        assertEquals(1f, p[at + 2 * plane], EPS);
        assertEquals(-1f, p[at + 1], EPS, "neighbour is black");
    }

    @Test
    void contentMd5IsStableAndTracksContent() throws IOException {
        String first = ImageFolderReader.load(tmp, 32).contentMd5();
        assertEquals(first, ImageFolderReader.load(tmp, 64).contentMd5(), "identity of the sources, not the size");
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", tmp.resolve("root.png").toFile());
        assertEquals(false, first.equals(ImageFolderReader.load(tmp, 32).contentMd5()));
    }

    @Test
    void jpegIsRead() throws IOException {
        BufferedImage img = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 40; x++) img.setRGB(x, y, 0x808080);
        }
        Path dir = Files.createDirectories(tmp.resolve("jpg"));
        ImageIO.write(img, "jpg", dir.resolve("x.JPG").toFile());
        ImageDataset d = ImageFolderReader.load(dir, 32);
        assertEquals(1, d.count());
        assertEquals(128 / 255f * 2 - 1, d.pixels()[500], 3 / 255f, "flat grey survives JPEG up to rounding");
    }

    @Test
    void entryPointUsesSplitSubfolderWhenPresent() throws IOException {
        assertEquals(3, DatasetFormats.image("folder").read(tmp, "train", 32, 0).count(),
                "no train/ folder: the folder itself");
        Path train = Files.createDirectories(tmp.resolve("train"));
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", train.resolve("only.png").toFile());
        assertEquals(1, DatasetFormats.image("folder").read(tmp, "train", 32, 0).count());
    }

    @Test
    void unreadableFileIsNamed() throws IOException {
        Path bad = Files.write(tmp.resolve("b/broken.png"), new byte[] {1, 2, 3, 4, 5});
        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolderReader.load(tmp, 32));
        assertEquals(bad + ": cannot decode as PNG/JPEG (no image reader recognises it)", e.getMessage());
    }

    @Test
    void emptyOrMissingFolder() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolderReader.load(empty, 32));
        assertEquals("folder: no .png, .jpg or .jpeg files found under " + empty, e.getMessage());
        Path absent = tmp.resolve("absent");
        e = assertThrows(DataFormatException.class, () -> ImageFolderReader.load(absent, 32));
        assertEquals("folder: directory " + absent + " does not exist (looked for .png, .jpg, .jpeg files under it)",
                e.getMessage());
    }

    @Test
    void pngDeclaring20000x20000IsRefusedBeforeDecoding() throws IOException {
        // the helper writes real PNGs: a small one decodes
        Path small = HostileFiles.pngBomb(tmp.resolve("small.png"), 300, 200);
        BufferedImage read = ImageIO.read(small.toFile());
        assertEquals(300, read.getWidth());
        assertEquals(0, read.getRGB(299, 199) & 0xffffff);
        Files.delete(small);
        // 1.1 MB on disk, 1.2 GB of pixels (4.8 GB as floats): it exhausted the heap
        Files.createDirectories(tmp.resolve("c"));
        Path huge = HostileFiles.pngBomb(tmp.resolve("c/huge.png"), 20000, 20000);
        assertTrue(Files.size(huge) < 2_000_000, "small on disk: " + Files.size(huge));
        DataFormatException e = assertThrows(DataFormatException.class, () -> ImageFolderReader.load(tmp, 32));
        assertEquals(huge + ": image of 20000 x 20000 pixels, more than the limit of 67108864 pixels (8192 x 8192)",
                e.getMessage());
    }

    @Test
    void cifarBatchLargerThanTheLimitIsRefusedBeforeReading() throws IOException {
        Path batch = HostileFiles.sparse(tmp.resolve("test_batch.bin"), new byte[0], 3L << 30);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10Reader.load(tmp, "test", 32));
        assertEquals(batch + ": 3221225472 bytes, more than the limit of 1073741824 bytes for one data file",
                e.getMessage());
    }
}
