package dev.shortrun.model.metrics;

import dev.shortrun.model.HostileFiles;
import dev.shortrun.model.io.Npy;
import dev.shortrun.model.io.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The image sets `shortrun fid` reads: PNG folders (as RGB, sorted by name) and .npy files in either layout. */
class UInt8ImagesTest {

    @Test
    void readsAFolderOfPngsAsRgbInNameOrder(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 3; i++) {
            BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_INT_RGB);
            img.setRGB(1, 0, (10 * i) << 16 | 20 << 8 | 30);
            ImageIO.write(img, "png", dir.resolve("img" + i + ".png").toFile());
        }
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        UInt8Images u = UInt8Images.read(dir);
        assertEquals(3, u.count());
        assertEquals(3, u.channels());
        assertEquals(2, u.height());
        assertEquals(4, u.width());
        for (int i = 0; i < 3; i++) {
            int base = i * u.dim();
            assertEquals(10 * i, u.at(base + 1)); // R plane, row 0, column 1
            assertEquals(20, u.at(base + 8 + 1)); // G plane
            assertEquals(30, u.at(base + 16 + 1)); // B plane
        }
    }

    @Test
    void readsChannelsLastBytesAndModelSamplesFromNpy(@TempDir Path dir) throws Exception {
        // (N, H, W, C) = (1, 2, 2, 3) bytes 1..12: pixel (0, 0) = (1, 2, 3), (0, 1) = (4, 5, 6), ...
        float[] v = new float[12];
        for (int i = 0; i < 12; i++) {
            v[i] = i + 1;
        }
        Npy.write(dir.resolve("hwc.npy"), new Tensor(new long[] {1, 2, 2, 3}, v));
        UInt8Images hwc = UInt8Images.read(dir.resolve("hwc.npy"));
        assertEquals(3, hwc.channels());
        assertEquals(1, hwc.at(0)); // R plane: 1, 4, 7, 10
        assertEquals(4, hwc.at(1));
        assertEquals(10, hwc.at(3));
        assertEquals(2, hwc.at(4)); // G plane starts with 2
        // float samples in [-1, 1] (N, C, H, W): rounded like saved pictures
        Npy.write(dir.resolve("x.npy"), new Tensor(new long[] {1, 1, 1, 2}, new float[] {-1f, 0.5f}));
        UInt8Images x = UInt8Images.read(dir.resolve("x.npy"));
        assertEquals(0, x.at(0));
        assertEquals(191, x.at(1));
    }

    @Test
    void badInputsNameTheProblem(@TempDir Path dir) throws Exception {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> UInt8Images.read(dir));
        assertTrue(empty.getMessage().contains("no images"), empty.getMessage());
        Npy.write(dir.resolve("flat.npy"), new Tensor(new long[] {2, 3}, new float[6]));
        IllegalArgumentException flat = assertThrows(IllegalArgumentException.class,
                () -> UInt8Images.read(dir.resolve("flat.npy")));
        assertTrue(flat.getMessage().contains("4 dimensions"), flat.getMessage());
    }

    @Test
    void imageDeclaring20000x20000IsRefusedBeforeDecoding(@TempDir Path dir) throws Exception {
        Path huge = HostileFiles.pngBomb(dir.resolve("huge.png"), 20000, 20000);
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, () -> UInt8Images.read(dir));
        assertEquals("cannot read image " + huge + ": image of 20000 x 20000 pixels, more than the limit of 67108864 "
                + "pixels (8192 x 8192)", e.getMessage());
    }
}
