package dev.shortrun.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScatterPlotTest {
    @TempDir
    Path dir;

    @Test
    void writesDecodablePngWithSamplesAndDataWherePlotted() throws IOException {
        float[] data = new float[200];
        for (int i = 0; i < 100; i++) {
            double a = 2 * Math.PI * i / 100;
            data[2 * i] = (float) (2 * Math.cos(a));
            data[2 * i + 1] = (float) (2 * Math.sin(a));
        }
        float[] samples = {1.5f, -2.5f, -3f, 3f};
        Path f = dir.resolve("plots/scatter.png");
        ScatterPlot.write(f, data, samples, 4.0, "samples at step 100");
        assertTrue(Files.exists(f));
        BufferedImage img = ImageIO.read(f.toFile());
        assertEquals(512, img.getWidth());
        assertEquals(512, img.getHeight());

        Point2D.Double s = ScatterPlot.toPixel(1.5, -2.5, 4.0, 512);
        assertTrue(PlotTestSupport.colourNear(img, s, 1, ScatterPlot.SAMPLE_COLOR, 10), "sample at " + s);
        Point2D.Double d = ScatterPlot.toPixel(2, 0, 4.0, 512); // data point i = 0
        assertTrue(PlotTestSupport.colourNear(img, d, 1, ScatterPlot.DATA_COLOR, 10), "data at " + d);
        // Empty middle of the ring: background, no sample colour.
        Point2D.Double mid = ScatterPlot.toPixel(0, 0, 4.0, 512);
        assertFalse(PlotTestSupport.colourNear(img, mid, 10, ScatterPlot.SAMPLE_COLOR, 60));
        assertEquals(Color.WHITE.getRGB(), img.getRGB((int) mid.x, (int) mid.y));
    }

    @Test
    void customSizeAndMappingCorners() {
        BufferedImage img = ScatterPlot.render(new float[0], new float[] {0, 0}, 1.0, null, 300);
        assertEquals(300, img.getWidth());
        assertEquals(300, img.getHeight());
        assertTrue(PlotTestSupport.colourNear(img, ScatterPlot.toPixel(0, 0, 1, 300), 0, ScatterPlot.SAMPLE_COLOR, 10));
        Point2D.Double topLeft = ScatterPlot.toPixel(-1, 1, 1.0, 300);
        assertEquals(ScatterPlot.MARGIN, topLeft.x, 1e-9);
        assertEquals(ScatterPlot.MARGIN, topLeft.y, 1e-9);
    }
}
