package dev.shortrun.model.io;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Path2D;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Named series on shared axes (training curves: energy difference, gradient norm per iteration), drawn as lines or,
 * with {@link #bars}, as side-by-side bars from zero (correlations by lag).
 */
public final class LinePlot {
    /** Distinct, colour-blind-friendly series colours (Okabe-Ito), used in order. */
    static final Color[] PALETTE = {new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115),
        new Color(204, 121, 167), new Color(230, 159, 0), new Color(86, 180, 233), Color.BLACK};
    static final int LEFT = 70, RIGHT = 20, TOP = 36, BOTTOM = 50;

    public record Series(String name, double[] x, double[] y) {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "': " + x.length + " x values but "
                        + y.length + " y values");
            }
        }
    }

    /** A horizontal band [lo, hi] drawn shaded behind the lines (e.g. the 5-95% range of a reference). */
    public record Band(String name, double lo, double hi) {
    }

    private static final Color BAND_COLOR = new Color(200, 200, 200, 150);

    private final List<Series> series = new ArrayList<>();
    private final List<Band> bands = new ArrayList<>();
    private String title, xLabel, yLabel;
    private boolean logX, logY, bars, zeroLine;
    private int width = 640, height = 400;

    public LinePlot title(String t) { this.title = t; return this; }

    public LinePlot xLabel(String l) { this.xLabel = l; return this; }

    public LinePlot yLabel(String l) { this.yLabel = l; return this; }

    /** Log-scale y; points with y <= 0 are then left out (the line breaks there). */
    public LinePlot logY(boolean on) { this.logY = on; return this; }

    /** Log-scale x; points with x <= 0 are then left out. */
    public LinePlot logX(boolean on) { this.logX = on; return this; }

    public LinePlot band(String name, double lo, double hi) {
        bands.add(new Band(name, lo, hi));
        return this;
    }

    public LinePlot size(int w, int h) { this.width = w; this.height = h; return this; }

    /** Bars from zero at each x, the series side by side (the y range then always includes 0). */
    public LinePlot bars(boolean on) { this.bars = on; return this; }

    /** A dashed horizontal line at y = 0 (when 0 is in range). */
    public LinePlot zeroLine(boolean on) { this.zeroLine = on; return this; }

    public LinePlot add(String name, double[] x, double[] y) {
        series.add(new Series(name, x, y));
        return this;
    }

    public void write(Path path) throws IOException {
        Png.write(path, render());
    }

    /** Several plots in one picture, row by row, {@code columns} to a row (each keeps its own size). */
    public static void writeGrid(Path path, int columns, List<LinePlot> plots) throws IOException {
        Png.write(path, PanelGrid.compose(null, columns, plots.stream().map(LinePlot::render).toList()));
    }

    /** Data ranges and the plot rectangle; bounds are in log10 units on a log axis. */
    private record Frame(double x0, double x1, double y0, double y1, int w, int h, boolean log, boolean logX) {
        Point2D.Double pixel(double x, double y) {
            double yy = log ? Math.log10(y) : y;
            double xx = logX ? Math.log10(x) : x;
            return new Point2D.Double(LEFT + (xx - x0) / (x1 - x0) * (w - LEFT - RIGHT),
                    h - BOTTOM - (yy - y0) / (y1 - y0) * (h - TOP - BOTTOM));
        }
    }

    private boolean usable(double x, double y) {
        return Double.isFinite(x) && Double.isFinite(y) && (!logY || y > 0) && (!logX || x > 0);
    }

    private Frame frame() {
        double x0 = Double.POSITIVE_INFINITY, x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY, y1 = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x.length; i++) {
                if (!usable(s.x[i], s.y[i])) continue;
                double y = logY ? Math.log10(s.y[i]) : s.y[i];
                double x = logX ? Math.log10(s.x[i]) : s.x[i];
                x0 = Math.min(x0, x); x1 = Math.max(x1, x);
                y0 = Math.min(y0, y); y1 = Math.max(y1, y);
            }
        }
        for (Band b : bands) {
            for (double v : new double[] {b.lo, b.hi}) {
                if (Double.isFinite(v) && (!logY || v > 0)) {
                    double y = logY ? Math.log10(v) : v;
                    y0 = Math.min(y0, y); y1 = Math.max(y1, y);
                }
            }
        }
        if (x0 > x1) { x0 = 0; x1 = 1; y0 = 0; y1 = 1; } // nothing plottable
        if (bars && !logY) {
            y0 = Math.min(y0, 0); y1 = Math.max(y1, 0);
            double half = barSlot() / 2; // whole bars inside the frame
            x0 -= half; x1 += half;
        }
        if (x1 - x0 == 0) { x0 -= 0.5; x1 += 0.5; }
        if (y1 - y0 == 0) { double d = Math.max(Math.abs(y0) * 0.1, 0.5); y0 -= d; y1 += d; }
        double pad = 0.05 * (y1 - y0); // keep the extremes off the frame
        return new Frame(x0, x1, y0 - pad, y1 + pad, width, height, logY, logX);
    }

    /** Where (x, y) lands in the rendered image. */
    Point2D.Double pixel(double x, double y) {
        return frame().pixel(x, y);
    }

    public BufferedImage render() {
        Frame f = frame();
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Ticks.antialiased(img.createGraphics());
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            int pw = width - LEFT - RIGHT, ph = height - TOP - BOTTOM;
            axes(g, f, pw, ph);
            g.setClip(LEFT, TOP, pw + 1, ph + 1);
            g.setColor(BAND_COLOR);
            for (Band b : bands) {
                double top = f.pixel(logX ? Math.pow(10, f.x0) : f.x0, b.hi).y;
                double bottom = f.pixel(logX ? Math.pow(10, f.x0) : f.x0, b.lo).y;
                g.fill(new java.awt.geom.Rectangle2D.Double(LEFT, Math.min(top, bottom), pw,
                        Math.max(1, Math.abs(bottom - top))));
            }
            g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            if (zeroLine && !logY && f.y0 <= 0 && f.y1 >= 0) {
                int y = (int) Math.round(f.pixel(f.x0, 0).y);
                g.setColor(Color.BLACK);
                g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[] {6f, 4f}, 0f));
                g.drawLine(LEFT, y, LEFT + pw, y);
                g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            }
            for (int k = 0; k < series.size(); k++) {
                g.setColor(PALETTE[k % PALETTE.length]);
                if (bars && !logY) {
                    drawBars(g, f, k);
                } else {
                    g.draw(line(series.get(k), f));
                }
            }
            g.setClip(null);
            legend(g);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** The x width one group of bars may take: 0.7 of the smallest gap between x values (1 if none). */
    private double barSlot() {
        double gap = Double.POSITIVE_INFINITY;
        for (Series s : series) {
            double[] xs = s.x.clone();
            java.util.Arrays.sort(xs);
            for (int i = 1; i < xs.length; i++) {
                if (xs[i] > xs[i - 1]) gap = Math.min(gap, xs[i] - xs[i - 1]);
            }
        }
        return 0.7 * (Double.isInfinite(gap) ? 1 : gap);
    }

    /** Series k's bars: its share of each slot, from y = 0 to the value. */
    private void drawBars(Graphics2D g, Frame f, int k) {
        Series s = series.get(k);
        double slot = barSlot();
        double w = slot / series.size();
        for (int i = 0; i < s.x.length; i++) {
            if (!usable(s.x[i], s.y[i])) continue;
            double left = s.x[i] - slot / 2 + k * w;
            Point2D.Double a = f.pixel(left, Math.max(0, s.y[i]));
            Point2D.Double b = f.pixel(left + w, Math.min(0, s.y[i]));
            g.fill(new java.awt.geom.Rectangle2D.Double(a.x, a.y, Math.max(1, b.x - a.x), Math.max(1, b.y - a.y)));
        }
    }

    private Path2D line(Series s, Frame f) {
        Path2D.Double p = new Path2D.Double();
        boolean pen = false;
        for (int i = 0; i < s.x.length; i++) {
            if (!usable(s.x[i], s.y[i])) { pen = false; continue; }
            Point2D.Double q = f.pixel(s.x[i], s.y[i]);
            if (!pen) p.moveTo(q.x, q.y);
            p.lineTo(q.x, q.y); // a zero-length first segment makes a lone point show as a round dot
            pen = true;
        }
        return p;
    }

    private void axes(Graphics2D g, Frame f, int pw, int ph) {
        g.setColor(new Color(235, 235, 235));
        List<Double> yt = logY ? Ticks.log(Math.pow(10, f.y0), Math.pow(10, f.y1)) : Ticks.linear(f.y0, f.y1, 5);
        List<Double> xt = logX ? Ticks.log(Math.pow(10, f.x0), Math.pow(10, f.x1)) : Ticks.linear(f.x0, f.x1, 6);
        for (double v : yt) { int y = (int) Math.round(f.pixel(f.x0, v).y); g.drawLine(LEFT, y, LEFT + pw, y); }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(LEFT, TOP, pw, ph);
        FontMetrics fm = g.getFontMetrics();
        double ys = Ticks.step(f.y0, f.y1, 5), xs = Ticks.step(f.x0, f.x1, 6);
        for (double v : yt) {
            int y = (int) Math.round(f.pixel(f.x0, v).y);
            String s = logY ? Ticks.label(v, v) : Ticks.label(v, ys);
            g.drawLine(LEFT - 4, y, LEFT, y);
            g.drawString(s, LEFT - 6 - fm.stringWidth(s), y + 4);
        }
        for (double v : xt) {
            int x = (int) Math.round(f.pixel(v, logY ? 1 : 0).x);
            g.drawLine(x, TOP + ph, x, TOP + ph + 4);
            Ticks.centred(g, logX ? Ticks.label(v, v) : Ticks.label(v, xs), x, TOP + ph + 18);
        }
        if (xLabel != null) Ticks.centred(g, xLabel, LEFT + pw / 2.0, height - 12);
        if (yLabel != null) Ticks.yLabel(g, yLabel, TOP, ph);
        if (title != null) Ticks.title(g, title, width, TOP);
    }

    private void legend(Graphics2D g) {
        if (series.isEmpty() && bands.isEmpty()) return;
        List<String> names = new ArrayList<>(series.stream().map(Series::name).toList());
        bands.forEach(b -> names.add(b.name));
        Ticks.Legend legend = Ticks.legend(g, names, width, RIGHT, TOP);
        for (int k = 0; k < series.size(); k++) {
            g.setColor(PALETTE[k % PALETTE.length]);
            g.drawLine(legend.swatchX(), legend.y(k), legend.swatchX() + 18, legend.y(k));
        }
        for (int k = 0; k < bands.size(); k++) {
            g.setColor(BAND_COLOR);
            g.fillRect(legend.swatchX(), legend.y(series.size() + k) - 5, 18, 10);
        }
    }
}
