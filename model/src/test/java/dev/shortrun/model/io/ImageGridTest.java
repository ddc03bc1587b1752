package dev.shortrun.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {
    @TempDir
    Path dir;

    private static int[] rgb(BufferedImage img, int y, int x) {
        int p = img.getRGB(x, y);
        return new int[] {p >> 16 & 0xff, p >> 8 & 0xff, p & 0xff};
    }

    private static void assertGrey(int expected, BufferedImage img, int y, int x) {
        assertArrayEquals(new int[] {expected, expected, expected}, rgb(img, y, x), "pixel (" + y + ", " + x + ")");
    }

    /** Four 1x2x2 grey images; min -1 and max 1 after clamping, so v maps to (v + 1) / 2. */
    private static Tensor fourGrey() {
        return new Tensor(new long[] {4, 1, 2, 2}, new float[] {
            -1, -1, -1, -1,
            1, 1, 1, 1,
            -2, 0, 0.5f, 3,
            0, 0, 0, 0});
    }

    @Test
    void twoByTwoGridHasTorchvisionLayoutAndValues() throws IOException {
        Path f = dir.resolve("grid.png");
        ImageGrid.write(f, fourGrey());
        BufferedImage img = ImageIO.read(f.toFile());
        // Default nrow = int(sqrt(4)) = 2: size 2 * (2 + 2) + 2 in both directions.
        assertEquals(10, img.getWidth());
        assertEquals(10, img.getHeight());
        // Padding is 0 everywhere between and around images.
        for (int[] p : new int[][] {{0, 0}, {1, 5}, {4, 4}, {5, 2}, {2, 5}, {9, 9}, {3, 9}}) {
            assertGrey(0, img, p[0], p[1]);
        }
        assertGrey(0, img, 2, 2); // image 0: -1 -> 0
        assertGrey(255, img, 2, 6); // image 1: 1 -> 255 (255.5 clamped)
        assertGrey(255, img, 3, 7);
        assertGrey(0, img, 6, 2); // image 2 at row 1, col 0: -2 clamped to -1
        assertGrey(128, img, 6, 3); // 0 -> 0.5 * 255 + 0.5 = 128
        assertGrey(191, img, 7, 2); // 0.5 -> 0.75 * 255 + 0.5 = 191.75 -> 191
        assertGrey(255, img, 7, 3); // 3 clamped to 1
        assertGrey(128, img, 7, 7); // image 3 at row 1, col 1
    }

    @Test
    void rgbChannelsAreKeptApart() {
        // Two 1x1 colour images: (R, G, B) = (-1, 0, 1) and (1, 0.5, -1).
        Tensor x = new Tensor(new long[] {2, 3, 1, 1}, new float[] {-1, 0, 1, 1, 0.5f, -1});
        BufferedImage img = ImageGrid.render(x, 2);
        assertEquals(5, img.getHeight());
        assertEquals(8, img.getWidth());
        assertArrayEquals(new int[] {0, 128, 255}, rgb(img, 2, 2));
        assertArrayEquals(new int[] {255, 191, 0}, rgb(img, 2, 5));
        assertArrayEquals(new int[] {0, 0, 0}, rgb(img, 2, 3));
    }

    @Test
    void nrowControlsColumnsAndLastRowIsPartial() {
        BufferedImage img = ImageGrid.render(fourGrey(), 3);
        assertEquals(3 * 4 + 2, img.getWidth());
        assertEquals(2 * 4 + 2, img.getHeight());
        assertGrey(255, img, 2, 6); // image 1 at col 1
        assertGrey(128, img, 6, 2); // image 3 at row 1, col 0
        assertGrey(0, img, 6, 6); // no image 4: padding value
        assertGrey(191, img, 3, 10); // image 2 at col 2, pixel (1, 0)
    }

    @Test
    void constantTensorMapsToZeroLikeTorchvision() {
        // max == min: torchvision divides by max(0, 1e-5), giving 0 everywhere.
        Tensor x = new Tensor(new long[] {2, 1, 3, 3}, filled(18, 0.3f));
        BufferedImage img = ImageGrid.render(x);
        // Default nrow = int(sqrt(2)) = 1: two rows of one image.
        assertEquals(2 * 5 + 2, img.getHeight());
        assertEquals(1 * 5 + 2, img.getWidth());
        for (int y = 0; y < img.getHeight(); y++) {
            for (int xx = 0; xx < img.getWidth(); xx++) assertGrey(0, img, y, xx);
        }
    }

    @Test
    void singleImageHasNoPaddingAsInMakeGrid() {
        Tensor x = new Tensor(new long[] {1, 1, 2, 3}, new float[] {-1, 0, 1, 1, 1, 1});
        BufferedImage img = ImageGrid.render(x);
        assertEquals(2, img.getHeight());
        assertEquals(3, img.getWidth());
        assertGrey(0, img, 0, 0);
        assertGrey(128, img, 0, 1);
    }

    @Test
    void stripStacksRowsWithWhiteGap() throws IOException {
        BufferedImage a = ImageGrid.render(fourGrey());
        BufferedImage b = ImageGrid.render(fourGrey(), 4);
        Path f = dir.resolve("strip.png");
        ImageGrid.writeStrip(f, List.of(a, b));
        BufferedImage img = ImageIO.read(f.toFile());
        assertEquals(b.getWidth(), img.getWidth());
        assertEquals(a.getHeight() + 4 + b.getHeight(), img.getHeight());
        assertGrey(255, img, a.getHeight() + 1, 0); // the gap
        assertGrey(255, img, 0, a.getWidth()); // right of the narrower row
        assertEquals(b.getRGB(6, 2), img.getRGB(6, a.getHeight() + 4 + 2));
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
