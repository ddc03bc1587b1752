package dev.shortrun.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngTest {
    @TempDir
    Path dir;

    private static BufferedImage picture() {
        BufferedImage img = new BufferedImage(16, 8, BufferedImage.TYPE_INT_RGB);
        img.setRGB(3, 2, 0xff8800);
        return img;
    }

    /** ImageIO caches through a temp file by default; a picture must not fail because the temp folder is gone. */
    @Test
    void writesWithoutImageIoTempFiles() throws IOException {
        Path cache = Files.createDirectory(dir.resolve("cache"));
        ImageIO.setCacheDirectory(cache.toFile());
        try {
            Files.delete(cache);
            Path png = dir.resolve("out/p.png");
            Png.write(png, picture());
            BufferedImage back = ImageIO.read(png.toFile());
            assertNotNull(back);
            assertEquals(0xff8800, back.getRGB(3, 2) & 0xffffff);
        } finally {
            ImageIO.setCacheDirectory(null);
        }
    }

    /** A full disk, as the kernel reports it (/dev/full) through ImageIO's own wrapping, is named as such. */
    @Test
    void aFullDiskIsNamedThroughImageIoWrapping() {
        Path target = dir.resolve("p.png");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            try (OutputStream full = new FileOutputStream("/dev/full");
                 MemoryCacheImageOutputStream png = new MemoryCacheImageOutputStream(full)) {
                ImageIO.write(picture(), "png", png);
                png.flush();
            }
        }));
        assertEquals("cannot write " + target + ": disk is full (No space left on device)", e.getMessage());
        assertTrue(Files.notExists(target));
    }
}
