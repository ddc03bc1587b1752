package dev.shortrun.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinePlotTest {
    @TempDir
    Path dir;

    @Test
    void drawsSeriesWhereTheyBelong() throws IOException {
        double[] x = {0, 100, 200, 300, 400};
        LinePlot plot = new LinePlot().title("training").xLabel("iteration").yLabel("value")
                .add("energy difference", x, new double[] {5, 2, -1, 0.5, 0.2})
                .add("gradient norm", x, new double[] {10, 8, 8, 7, 6})
                .size(500, 300);
        Path f = dir.resolve("curves.png");
        plot.write(f);
        BufferedImage img = ImageIO.read(f.toFile());
        assertEquals(500, img.getWidth());
        assertEquals(300, img.getHeight());
        // Midpoint of a segment lies on the line, away from the legend in the top-right corner.
        assertTrue(PlotTestSupport.colourNear(img, plot.pixel(150, 0.5), 1, LinePlot.PALETTE[0], 30));
        assertTrue(PlotTestSupport.colourNear(img, plot.pixel(100, 8), 1, LinePlot.PALETTE[1], 30));
        assertTrue(PlotTestSupport.colourNear(img, plot.pixel(0, 10), 1, LinePlot.PALETTE[1], 30));
    }

    @Test
    void logScaleSpacesDecadesEquallyAndSkipsNonPositive() {
        LinePlot plot = new LinePlot().logY(true)
                .add("loss", new double[] {0, 1, 2, 3}, new double[] {1000, 10, 0, 0.1});
        BufferedImage img = plot.render();
        assertEquals(640, img.getWidth());
        double y1000 = plot.pixel(0, 1000).y, y10 = plot.pixel(0, 10).y, y01 = plot.pixel(0, 0.1).y;
        assertEquals(y1000 - y10, y10 - y01, 1e-9);
        assertTrue(PlotTestSupport.colourNear(img, plot.pixel(0.5, 100), 1, LinePlot.PALETTE[0], 30));
        // The segment from 10 to 0.1 is broken by the zero, so its midpoint stays empty.
        assertTrue(!PlotTestSupport.colourNear(img, plot.pixel(2, 1), 3, LinePlot.PALETTE[0], 60));
    }

    @Test
    void ticksAreRound() {
        assertEquals(List.of(0.0, 0.5, 1.0, 1.5, 2.0), Ticks.linear(-0.1, 2.2, 5));
        assertEquals("0.5", Ticks.label(0.5, 0.5));
        assertEquals("200", Ticks.label(200, 100));
        assertEquals("1e-05", Ticks.label(1e-5, 1e-5));
        assertEquals("1e-04", Ticks.label(1e-4, 1e-4), "log ticks at 1e-4 are as short as their neighbours");
        assertEquals("2.5e+05", Ticks.label(2.5e5, 1e5));
        assertEquals(List.of(0.01, 0.1, 1.0, 10.0), Ticks.log(0.005, 20));
    }
}
