package dev.shortrun.steps.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThumbnailTest {
    @TempDir
    Path dir;

    @Test
    void largePicturesShrinkToFitKeepingTheirShapeSmallOnesStayAsTheyAre() throws Exception {
        Path wide = picture("wide.png", 600, 300);
        Thumbnail.write(wide, dir.resolve("wide-small.png"), 256);
        BufferedImage small = ImageIO.read(dir.resolve("wide-small.png").toFile());
        assertEquals(256, small.getWidth());
        assertEquals(128, small.getHeight());
        // a picture of one colour stays that colour (area averaging, no ringing)
        assertEquals(0x3366cc, small.getRGB(100, 60) & 0xffffff);

        Path tiny = picture("tiny.png", 40, 30);
        Thumbnail.write(tiny, dir.resolve("tiny-small.png"), 256);
        assertArrayEquals(Files.readAllBytes(tiny), Files.readAllBytes(dir.resolve("tiny-small.png")));
    }

    private Path picture(String name, int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, 0x3366cc);
            }
        }
        Path file = dir.resolve(name);
        ImageIO.write(image, "png", file.toFile());
        return file;
    }
}
