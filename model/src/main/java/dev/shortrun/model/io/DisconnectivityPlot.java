package dev.shortrun.model.io;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A disconnectivity graph drawn as in the Anatomy paper's Figure 9: one column per basin, a vertical line from the
 * basin's minimum energy up to where it merges, a horizontal line at the lowest known barrier joining two groups, a
 * circle at the minimum whose area grows with the basin's member count, and under each column a few of its members
 * (images). Energy runs upwards. When some groups are never joined (no barrier known), every group's top runs up to
 * the frame as a dashed line.
 */
public final class DisconnectivityPlot {
    /** Node {@code left} and node {@code right} join at {@code level}; node ids: basins 0..n-1, then merge k at n+k. */
    public record Join(int left, int right, double level) {
    }

    private static final int LEFT = 78, RIGHT = 16, TOP = 40, TREE = 300, LABELS = 40, MIN_COLUMN = 44;
    private static final Color LINE = new Color(40, 40, 40);
    private static final Color CIRCLE = new Color(0, 114, 178);

    private DisconnectivityPlot() {
    }

    /**
     * @param minima  per basin: its minimum energy
     * @param joins   ascending in level
     * @param order   the basins left to right (every basin once)
     * @param counts  per basin: members
     * @param columns per basin: a picture of some members drawn under its column (null: none for any basin)
     */
    public static BufferedImage render(String title, String yLabel, double[] minima, List<Join> joins, int[] order,
                                       int[] counts, List<BufferedImage> columns) {
        int n = minima.length;
        if (order.length != n || counts.length != n || (columns != null && columns.size() != n)) {
            throw new IllegalArgumentException("a disconnectivity plot needs an order, a count and a column per basin");
        }
        int columnWidth = MIN_COLUMN;
        int columnHeight = 0;
        if (columns != null) {
            for (BufferedImage c : columns) {
                columnWidth = Math.max(columnWidth, c.getWidth() + 8);
                columnHeight = Math.max(columnHeight, c.getHeight());
            }
        }
        int width = LEFT + n * columnWidth + RIGHT;
        int height = TOP + TREE + LABELS + (columnHeight > 0 ? columnHeight + 10 : 0);
        double[] level = new double[n + joins.size()];
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            level[i] = minima[i];
            lo = Math.min(lo, minima[i]);
            hi = Math.max(hi, minima[i]);
        }
        for (int k = 0; k < joins.size(); k++) {
            level[n + k] = joins.get(k).level();
            hi = Math.max(hi, joins.get(k).level());
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        double pad = 0.08 * (hi - lo);
        double y0 = lo - pad, y1 = hi + pad;
        double[] x = new double[n + joins.size()];
        for (int k = 0; k < n; k++) {
            x[order[k]] = LEFT + (k + 0.5) * columnWidth;
        }
        int[] parent = new int[n + joins.size()];
        java.util.Arrays.fill(parent, -1);
        for (int k = 0; k < joins.size(); k++) {
            Join j = joins.get(k);
            x[n + k] = (x[j.left()] + x[j.right()]) / 2;
            parent[j.left()] = n + k;
            parent[j.right()] = n + k;
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Ticks.antialiased(img.createGraphics());
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            axis(g, y0, y1, yLabel);
            g.setColor(LINE);
            g.setStroke(new BasicStroke(1.6f));
            boolean forest = n - joins.size() > 1;
            for (int node = 0; node < level.length; node++) {
                if (parent[node] < 0 && !forest) {
                    continue; // the one root: nothing above it
                }
                double top = parent[node] >= 0 ? y(level[parent[node]], y0, y1) : TOP;
                if (parent[node] < 0) {
                    g.setStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                            new float[] {4f, 4f}, 0f));
                }
                g.draw(new Line2D.Double(x[node], y(level[node], y0, y1), x[node], top));
                g.setStroke(new BasicStroke(1.6f));
            }
            for (Join j : joins) {
                double yy = y(j.level(), y0, y1);
                g.draw(new Line2D.Double(x[j.left()], yy, x[j.right()], yy));
            }
            circles(g, minima, counts, x, y0, y1);
            labels(g, order, counts, columnWidth);
            if (columns != null) {
                for (int k = 0; k < n; k++) {
                    BufferedImage c = columns.get(order[k]);
                    g.drawImage(c, (int) Math.round(LEFT + k * columnWidth + (columnWidth - c.getWidth()) / 2.0),
                            TOP + TREE + LABELS + 4, null);
                }
            }
            g.setColor(Color.BLACK);
            g.setFont(Ticks.FONT.deriveFont(Font.BOLD, 14f));
            Ticks.centred(g, title, width / 2.0, 24);
        } finally {
            g.dispose();
        }
        return img;
    }

    private static double y(double v, double y0, double y1) {
        return TOP + (y1 - v) / (y1 - y0) * TREE;
    }

    private static void circles(Graphics2D g, double[] minima, int[] counts, double[] x, double y0, double y1) {
        int most = 1;
        for (int c : counts) {
            most = Math.max(most, c);
        }
        for (int i = 0; i < minima.length; i++) {
            double r = 3 + 9 * Math.sqrt(counts[i] / (double) most); // area grows with the member count
            double cy = y(minima[i], y0, y1);
            g.setColor(CIRCLE);
            g.fill(new Ellipse2D.Double(x[i] - r, cy - r, 2 * r, 2 * r));
        }
    }

    private static void labels(Graphics2D g, int[] order, int[] counts, int columnWidth) {
        g.setColor(Color.BLACK);
        g.setFont(Ticks.FONT.deriveFont(11f));
        for (int k = 0; k < order.length; k++) {
            double cx = LEFT + (k + 0.5) * columnWidth;
            Ticks.centred(g, "B" + order[k], cx, TOP + TREE + 16);
            Ticks.centred(g, "n=" + counts[order[k]], cx, TOP + TREE + 32);
        }
        g.setFont(Ticks.FONT);
    }

    private static void axis(Graphics2D g, double y0, double y1, String yLabel) {
        FontMetrics fm = g.getFontMetrics();
        double step = Ticks.step(y0, y1, 6);
        g.setColor(Color.DARK_GRAY);
        g.drawLine(LEFT - 8, TOP, LEFT - 8, TOP + TREE);
        for (double v : Ticks.linear(y0, y1, 6)) {
            int yy = (int) Math.round(y(v, y0, y1));
            String s = Ticks.label(v, step);
            g.drawLine(LEFT - 12, yy, LEFT - 8, yy);
            g.drawString(s, LEFT - 14 - fm.stringWidth(s), yy + 4);
        }
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        Ticks.centred(g, yLabel, -(TOP + TREE / 2.0), 14);
        g.setTransform(saved);
    }
}
