package dev.shortrun.model.io;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/** Data points with model samples drawn over them, on a square [-e, e]^2 view (toy 2D densities). */
public final class ScatterPlot {
    public static final Color DATA_COLOR = new Color(160, 190, 225);
    public static final Color SAMPLE_COLOR = new Color(230, 85, 13);
    public static final int DEFAULT_SIZE = 512;
    static final int MARGIN = 44;

    private ScatterPlot() {}

    /**
     * @param data    interleaved x, y of the data points (may be empty)
     * @param samples interleaved x, y of the samples, drawn on top (may be empty)
     * @param extent  the view is [-extent, extent] in both directions
     * @param title   shown above the plot; null for none
     */
    public static BufferedImage render(float[] data, float[] samples, double extent, String title, int size) {
        if (!(extent > 0)) throw new IllegalArgumentException("extent must be positive, got " + extent);
        if (size < 3 * MARGIN) throw new IllegalArgumentException("size too small: " + size);
        checkPairs(data, "data");
        checkPairs(samples, "samples");
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Ticks.antialiased(img.createGraphics());
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, size, size);
            int side = size - 2 * MARGIN;
            g.setClip(MARGIN, MARGIN, side, side);
            dots(g, data, DATA_COLOR, 3, extent, size);
            dots(g, samples, SAMPLE_COLOR, 4, extent, size);
            g.setClip(null);
            axes(g, extent, size, side);
            if (title != null) {
                g.setFont(Ticks.FONT.deriveFont(Font.BOLD, 14f));
                Ticks.centred(g, title, size / 2.0, MARGIN - 14);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    public static void write(Path path, float[] data, float[] samples, double extent, String title)
            throws IOException {
        write(path, data, samples, extent, title, DEFAULT_SIZE);
    }

    public static void write(Path path, float[] data, float[] samples, double extent, String title, int size)
            throws IOException {
        Png.write(path, render(data, samples, extent, title, size));
    }

    /** Where the point (x, y) lands in the image. */
    static Point2D.Double toPixel(double x, double y, double extent, int size) {
        double side = size - 2 * MARGIN;
        return new Point2D.Double(MARGIN + (x + extent) / (2 * extent) * side,
                MARGIN + (extent - y) / (2 * extent) * side);
    }

    private static void dots(Graphics2D g, float[] xy, Color c, double d, double extent, int size) {
        if (xy == null) return;
        g.setColor(c);
        for (int i = 0; i + 1 < xy.length; i += 2) {
            Point2D.Double p = toPixel(xy[i], xy[i + 1], extent, size);
            g.fill(new Ellipse2D.Double(p.x - d / 2, p.y - d / 2, d, d));
        }
    }

    private static void axes(Graphics2D g, double extent, int size, int side) {
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(MARGIN, MARGIN, side, side);
        double step = Ticks.step(-extent, extent, 4);
        for (double v : Ticks.linear(-extent, extent, 4)) {
            Point2D.Double p = toPixel(v, v, extent, size);
            String s = Ticks.label(v, step);
            g.drawLine((int) Math.round(p.x), MARGIN + side, (int) Math.round(p.x), MARGIN + side + 4);
            Ticks.centred(g, s, p.x, MARGIN + side + 18);
            g.drawLine(MARGIN - 4, (int) Math.round(p.y), MARGIN, (int) Math.round(p.y));
            g.drawString(s, MARGIN - 6 - g.getFontMetrics().stringWidth(s), (float) p.y + 4);
        }
    }

    private static void checkPairs(float[] xy, String what) {
        if (xy != null && xy.length % 2 != 0) {
            throw new IllegalArgumentException(what + " must hold interleaved x, y pairs; length " + xy.length);
        }
    }
}
