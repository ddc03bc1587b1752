package dev.shortrun.steps.tracking;

import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/** A picture's small copy for MLflow's image grids: scaled to fit a square, aspect kept; small pictures as they are. */
final class Thumbnail {
    private Thumbnail() {
    }

    /** Writes the small copy of {@code png} to {@code target}, its longest side at most {@code size} pixels. */
    static void write(Path png, Path target, int size) {
        try {
            BufferedImage image = ImageIO.read(png.toFile());
            if (image == null) {
                throw new IllegalArgumentException(png + " is not a picture ImageIO can read");
            }
            int width = image.getWidth();
            int height = image.getHeight();
            if (Math.max(width, height) <= size) {
                Files.copy(png, target, StandardCopyOption.REPLACE_EXISTING);
                return;
            }
            double scale = (double) size / Math.max(width, height);
            int w = Math.max(1, (int) Math.round(width * scale));
            int h = Math.max(1, (int) Math.round(height * scale));
            BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = small.createGraphics();
            try {
                // area averaging: grids of many small samples shrink without aliasing
                g.drawImage(image.getScaledInstance(w, h, Image.SCALE_AREA_AVERAGING), 0, 0, null);
            } finally {
                g.dispose();
            }
            if (!ImageIO.write(small, "png", target.toFile())) {
                throw new IllegalStateException("no PNG writer in this JVM");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the small copy of " + png + ": " + e.getMessage(), e);
        }
    }
}
