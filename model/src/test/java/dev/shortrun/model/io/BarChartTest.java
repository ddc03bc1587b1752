package dev.shortrun.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BarChartTest {
    @TempDir
    Path dir;

    @Test
    void barsRiseToTheirValuesSideBySideAndMissingOnesAreLeftOut() throws IOException {
        BarChart chart = new BarChart(List.of("convergent", "non-convergent")).title("KL").yLabel("nats")
                .add("learned", new double[] {0.2, 8.0})
                .add("kde", new double[] {0.3, Double.NaN}, new double[] {0.1, Double.NaN})
                .note(1, "paper expects:\nlearned large").size(600, 400);
        Path f = dir.resolve("bars.png");
        chart.write(f);
        BufferedImage img = ImageIO.read(f.toFile());
        assertEquals(600, img.getWidth());
        assertEquals(400, img.getHeight());
        Point2D.Double tall = chart.barTop(0, 1), small = chart.barTop(0, 0);
        assertTrue(tall.y < small.y, "8 is drawn higher than 0.2");
        assertTrue(tall.x > small.x, "categories left to right");
        assertTrue(chart.barTop(1, 0).x > small.x, "the second series beside the first");
        // just below a bar's top is its colour; just above the tall one is background
        assertTrue(PlotTestSupport.colourNear(img, new Point2D.Double(tall.x, tall.y + 5), 0, LinePlot.PALETTE[0], 10));
        assertFalse(PlotTestSupport.colourNear(img, new Point2D.Double(tall.x, tall.y - 25), 0, LinePlot.PALETTE[0],
                10));
        // the missing kde bar of the second category: no orange where it would stand
        Point2D.Double missing = new Point2D.Double(chart.barTop(1, 0).x + (tall.x - small.x), tall.y + 40);
        assertFalse(PlotTestSupport.colourNear(img, missing, 3, LinePlot.PALETTE[1], 10));
        // the error bar of kde in the first category is black above its bar
        Point2D.Double kde = chart.barTop(1, 0);
        assertTrue(PlotTestSupport.colourNear(img, new Point2D.Double(kde.x, kde.y - 3), 1, Color.BLACK, 60));
    }

    @Test
    void seriesMustFitTheCategories() {
        BarChart chart = new BarChart(List.of("a", "b"));
        assertThrows(IllegalArgumentException.class, () -> chart.add("x", new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new BarChart(List.of()));
    }

    @Test
    void aGridStacksPanelsUnderItsCaption() {
        BufferedImage a = new BarChart(List.of("a")).add("x", new double[] {1}).size(300, 200).render();
        BufferedImage grid = PanelGrid.compose("one\ntwo", 2, List.of(a, a, a));
        assertEquals(600, grid.getWidth());
        assertEquals(2 * PanelGrid.CAPTION_LINE + 10 + 2 * 200, grid.getHeight());
    }
}
