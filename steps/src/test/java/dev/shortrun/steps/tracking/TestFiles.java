package dev.shortrun.steps.tracking;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Small real artifact files for the tracking tests. */
final class TestFiles {
    private TestFiles() {}

    /** A 16x16 PNG whose pixels depend on {@code seed}, so files of different runs differ. */
    static Path png(Path dir, String name, int seed) {
        BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                image.setRGB(x, y, (x * 16 + y * seed * 7) & 0xFFFFFF);
            }
        }
        Path file = dir.resolve(name);
        try {
            Files.createDirectories(dir);
            if (!ImageIO.write(image, "png", file.toFile())) {
                throw new IllegalStateException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    static Path text(Path dir, String name, String content) {
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
