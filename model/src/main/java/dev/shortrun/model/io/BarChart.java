package dev.shortrun.model.io;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Grouped bars over named categories (one group per category, one bar per series), each bar labelled with its value,
 * with optional error bars (e.g. the sd over seeds) and a note of a few lines under each category's name (e.g. what
 * a paper expects there). Values that are missing (NaN) leave their bar out and say "n/a".
 */
public final class BarChart {
    static final int LEFT = 70, RIGHT = 20, TOP = 36, LINE = 15;

    /**
     * One bar per category.
     *
     * @param errors half-widths of the error bars, or null for none; NaN leaves a bar's out
     */
    public record Series(String name, double[] values, double[] errors) {
    }

    private final List<String> categories;
    private final List<Series> series = new ArrayList<>();
    private final String[] notes;
    private String title, yLabel;
    private int width = 900, height = 480;

    public BarChart(List<String> categories) {
        if (categories.isEmpty()) {
            throw new IllegalArgumentException("a bar chart needs at least one category");
        }
        this.categories = List.copyOf(categories);
        this.notes = new String[categories.size()];
    }

    public BarChart title(String t) { this.title = t; return this; }

    public BarChart yLabel(String l) { this.yLabel = l; return this; }

    public BarChart size(int w, int h) { this.width = w; this.height = h; return this; }

    /** A series without error bars. */
    public BarChart add(String name, double[] values) {
        return add(name, values, null);
    }

    public BarChart add(String name, double[] values, double[] errors) {
        if (values.length != categories.size() || (errors != null && errors.length != values.length)) {
            throw new IllegalArgumentException("series '" + name + "': " + values.length + " values"
                    + (errors == null ? "" : " and " + errors.length + " errors") + " for " + categories.size()
                    + " categories");
        }
        series.add(new Series(name, values.clone(), errors == null ? null : errors.clone()));
        return this;
    }

    /** Text under category {@code index}'s name; a newline starts another line. */
    public BarChart note(int index, String text) {
        notes[index] = text;
        return this;
    }

    public void write(Path path) throws IOException {
        Png.write(path, render());
    }

    private int noteLines() {
        return Arrays.stream(notes).mapToInt(n -> n == null ? 0 : n.split("\n").length).max().orElse(0);
    }

    private int bottom() {
        return 34 + LINE * noteLines();
    }

    /** The value range drawn: from 0 (or below, for negative bars) to the highest bar with its error, plus room. */
    private double[] range() {
        double lo = 0, hi = 0;
        for (Series s : series) {
            for (int i = 0; i < s.values.length; i++) {
                double v = s.values[i], e = s.errors == null || !Double.isFinite(s.errors[i]) ? 0 : s.errors[i];
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v - e);
                    hi = Math.max(hi, v + e);
                }
            }
        }
        if (hi - lo == 0) {
            hi = 1;
        }
        double pad = 0.12 * (hi - lo); // room for the value labels (and the legend) above the highest bar
        return new double[] {lo < 0 ? lo - pad : 0, hi + pad + (series.size() * 16 + 8) * (hi - lo) / plotHeight()};
    }

    private int plotHeight() {
        return height - TOP - bottom();
    }

    private double y(double v, double[] r) {
        return TOP + (r[1] - v) / (r[1] - r[0]) * plotHeight();
    }

    /** The left edge and width of series {@code k}'s bar in category {@code i}. */
    private double[] bar(int k, int i) {
        double slot = (width - LEFT - RIGHT) / (double) categories.size();
        double w = 0.75 * slot / Math.max(1, series.size());
        return new double[] {LEFT + i * slot + 0.125 * slot + k * w, w};
    }

    /** Where the top (its value) of series {@code k}'s bar in category {@code i} lands, at the bar's middle. */
    Point2D.Double barTop(int k, int i) {
        double[] b = bar(k, i);
        return new Point2D.Double(b[0] + b[1] / 2, y(series.get(k).values[i], range()));
    }

    public BufferedImage render() {
        double[] r = range();
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Ticks.antialiased(img.createGraphics());
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            axes(g, r);
            FontMetrics fm = g.getFontMetrics();
            for (int k = 0; k < series.size(); k++) {
                Series s = series.get(k);
                for (int i = 0; i < categories.size(); i++) {
                    double[] b = bar(k, i);
                    double v = s.values[i];
                    double zero = y(0, r);
                    if (!Double.isFinite(v)) {
                        g.setColor(Color.GRAY);
                        Ticks.centred(g, "n/a", b[0] + b[1] / 2, zero - 4);
                        continue;
                    }
                    double top = y(v, r);
                    g.setColor(LinePlot.PALETTE[k % LinePlot.PALETTE.length]);
                    g.fill(new Rectangle2D.Double(b[0], Math.min(top, zero), b[1], Math.max(1, Math.abs(zero - top))));
                    double e = s.errors == null ? Double.NaN : s.errors[i];
                    double labelAt = Math.min(top, zero);
                    if (Double.isFinite(e) && e > 0) {
                        double cx = b[0] + b[1] / 2, hi = y(v + e, r), lo = y(v - e, r);
                        g.setColor(Color.BLACK);
                        g.setStroke(new BasicStroke(1.5f));
                        g.draw(new java.awt.geom.Line2D.Double(cx, hi, cx, lo));
                        g.draw(new java.awt.geom.Line2D.Double(cx - b[1] / 4, hi, cx + b[1] / 4, hi));
                        g.draw(new java.awt.geom.Line2D.Double(cx - b[1] / 4, lo, cx + b[1] / 4, lo));
                        labelAt = Math.min(labelAt, hi);
                    }
                    g.setColor(Color.BLACK);
                    String label = String.format(Locale.ROOT, "%.3g", v);
                    if (fm.stringWidth(label) <= b[1] + 16) {
                        Ticks.centred(g, label, b[0] + b[1] / 2, labelAt - 4);
                    }
                }
            }
            legend(g);
        } finally {
            g.dispose();
        }
        return img;
    }

    private void axes(Graphics2D g, double[] r) {
        int pw = width - LEFT - RIGHT, ph = plotHeight();
        List<Double> ticks = Ticks.linear(r[0], r[1], 5);
        double step = Ticks.step(r[0], r[1], 5);
        FontMetrics fm = g.getFontMetrics();
        for (double v : ticks) {
            int y = (int) Math.round(y(v, r));
            g.setColor(new Color(235, 235, 235));
            g.drawLine(LEFT, y, LEFT + pw, y);
            g.setColor(Color.DARK_GRAY);
            String s = Ticks.label(v, step);
            g.drawLine(LEFT - 4, y, LEFT, y);
            g.drawString(s, LEFT - 6 - fm.stringWidth(s), y + 4);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(LEFT, TOP, pw, ph);
        double slot = pw / (double) categories.size();
        for (int i = 0; i < categories.size(); i++) {
            double cx = LEFT + (i + 0.5) * slot;
            g.setColor(Color.BLACK);
            Ticks.centred(g, categories.get(i), cx, TOP + ph + 18);
            if (notes[i] != null) {
                g.setColor(new Color(90, 90, 90));
                String[] lines = notes[i].split("\n");
                for (int l = 0; l < lines.length; l++) {
                    Ticks.centred(g, lines[l], cx, TOP + ph + 18 + LINE * (l + 1));
                }
            }
        }
        g.setColor(Color.BLACK);
        if (yLabel != null) {
            Ticks.yLabel(g, yLabel, TOP, ph);
        }
        if (title != null) {
            Ticks.title(g, title, width, TOP);
        }
    }

    private void legend(Graphics2D g) {
        Ticks.Legend legend = Ticks.legend(g, series.stream().map(Series::name).toList(), width, RIGHT, TOP);
        for (int k = 0; k < series.size(); k++) {
            g.setColor(LinePlot.PALETTE[k % LinePlot.PALETTE.length]);
            g.fillRect(legend.swatchX(), legend.y(k) - 5, 18, 10);
        }
    }
}
