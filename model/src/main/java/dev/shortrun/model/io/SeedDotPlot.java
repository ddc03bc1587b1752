package dev.shortrun.model.io;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Panels of "before vs after" seed values: each panel shows one metric of one configuration, the baseline's seeds
 * (grey) beside the candidate's (blue, or red when the panel is flagged), a bar at each side's mean, and the band up
 * to which the candidate still passes. A regression gate's picture: the spread that the verdict accounts for is
 * visible at a glance.
 */
public final class SeedDotPlot {
    private static final Color BASELINE = new Color(140, 140, 140);
    private static final Color CANDIDATE = new Color(33, 102, 172);
    private static final Color FLAGGED = new Color(203, 24, 29);
    private static final Color BAND = new Color(235, 242, 250);
    private static final int PANEL_W = 260;
    private static final int PANEL_H = 220;
    private static final int LEFT = 58;
    private static final int TOP = 40;
    private static final int BOTTOM = 30;

    /**
     * One panel.
     *
     * @param limit   the candidate value beyond which it is worse than the tolerance allows (NaN: none drawn)
     * @param higherIsWorse which side of the limit fails (shaded)
     * @param flagged drawn in red (a regression)
     */
    public record Panel(String title, String subtitle, double[] baseline, double[] candidate, double limit,
                        boolean higherIsWorse, boolean flagged) {
    }

    private SeedDotPlot() {
    }

    public static BufferedImage render(List<Panel> panels, int columns) {
        int cols = Math.max(1, Math.min(columns, panels.size()));
        int rows = Math.max(1, (panels.size() + cols - 1) / cols);
        BufferedImage img = new BufferedImage(cols * PANEL_W, rows * PANEL_H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Ticks.antialiased(img.createGraphics());
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            for (int i = 0; i < panels.size(); i++) {
                Graphics2D p = (Graphics2D) g.create((i % cols) * PANEL_W, (i / cols) * PANEL_H, PANEL_W, PANEL_H);
                try {
                    panel(p, panels.get(i));
                } finally {
                    p.dispose();
                }
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    public static void write(Path path, List<Panel> panels, int columns) throws IOException {
        Png.write(path, render(panels, columns));
    }

    private static void panel(Graphics2D g, Panel panel) {
        double[] all = finite(panel);
        double lo = Arrays.stream(all).min().orElse(0);
        double hi = Arrays.stream(all).max().orElse(1);
        double pad = hi > lo ? 0.12 * (hi - lo) : Math.max(1e-9, Math.abs(hi) * 0.1 + 1e-9);
        lo -= pad;
        hi += pad;
        int plotH = PANEL_H - TOP - BOTTOM;
        int plotW = PANEL_W - LEFT - 16;
        double ylo = lo;
        double yhi = hi;
        java.util.function.DoubleUnaryOperator y = v -> TOP + (yhi - v) / (yhi - ylo) * plotH;
        if (Double.isFinite(panel.limit())) { // the region in which the candidate's value fails
            double a = y.applyAsDouble(Math.min(Math.max(panel.limit(), lo), hi));
            g.setColor(BAND);
            if (panel.higherIsWorse()) {
                g.fillRect(LEFT, TOP, plotW, (int) Math.round(a - TOP));
            } else {
                g.fillRect(LEFT, (int) Math.round(a), plotW, (int) Math.round(TOP + plotH - a));
            }
            g.setColor(new Color(160, 180, 210));
            g.setStroke(new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 3f},
                    0f));
            g.draw(new Line2D.Double(LEFT, a, LEFT + plotW, a));
        }
        g.setStroke(new BasicStroke(1f));
        g.setColor(Color.DARK_GRAY);
        g.drawRect(LEFT, TOP, plotW, plotH);
        for (double t : Ticks.linear(lo, hi, 4)) {
            double py = y.applyAsDouble(t);
            g.draw(new Line2D.Double(LEFT - 4, py, LEFT, py));
            String label = Ticks.label(t, Ticks.step(lo, hi, 4));
            g.drawString(label, LEFT - 6 - g.getFontMetrics().stringWidth(label), (float) py + 4);
        }
        column(g, panel.baseline(), LEFT + plotW * 0.3, y, BASELINE);
        column(g, panel.candidate(), LEFT + plotW * 0.7, y, panel.flagged() ? FLAGGED : CANDIDATE);
        g.setColor(Color.DARK_GRAY);
        Ticks.centred(g, "baseline", LEFT + plotW * 0.3, TOP + plotH + 18);
        Ticks.centred(g, "candidate", LEFT + plotW * 0.7, TOP + plotH + 18);
        g.setFont(Ticks.FONT.deriveFont(Font.BOLD, 12f));
        g.setColor(panel.flagged() ? FLAGGED : Color.BLACK);
        Ticks.centred(g, clip(g, panel.title()), PANEL_W / 2.0, 16);
        g.setFont(Ticks.FONT.deriveFont(11f));
        g.setColor(Color.DARK_GRAY);
        Ticks.centred(g, clip(g, panel.subtitle()), PANEL_W / 2.0, 31);
    }

    /** The seeds as dots, spread sideways so equal values stay visible, and their mean as a bar. */
    private static void column(Graphics2D g, double[] values, double x, java.util.function.DoubleUnaryOperator y,
                               Color color) {
        double[] v = Arrays.stream(values).filter(Double::isFinite).toArray();
        g.setColor(color);
        for (int i = 0; i < v.length; i++) {
            double dx = (i - (v.length - 1) / 2.0) * 9;
            double py = y.applyAsDouble(v[i]);
            g.fill(new Ellipse2D.Double(x + dx - 4, py - 4, 8, 8));
        }
        if (v.length > 0) {
            double mean = Arrays.stream(v).average().orElseThrow();
            g.setStroke(new BasicStroke(2.5f));
            double py = y.applyAsDouble(mean);
            g.draw(new Line2D.Double(x - 26, py, x + 26, py));
            g.setStroke(new BasicStroke(1f));
        }
    }

    private static double[] finite(Panel panel) {
        double[] both = new double[panel.baseline().length + panel.candidate().length + 1];
        System.arraycopy(panel.baseline(), 0, both, 0, panel.baseline().length);
        System.arraycopy(panel.candidate(), 0, both, panel.baseline().length, panel.candidate().length);
        both[both.length - 1] = panel.limit();
        return Arrays.stream(both).filter(Double::isFinite).toArray();
    }

    private static String clip(Graphics2D g, String s) {
        String text = s == null ? "" : s;
        while (text.length() > 4 && g.getFontMetrics().stringWidth(text) > PANEL_W - 8) {
            text = text.substring(0, text.length() - 2);
        }
        return text.equals(s) || s == null ? text : text + "…";
    }
}
