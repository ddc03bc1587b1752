package dev.shortrun.model.io;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Basins of a 2D energy over its density map: a {@link HeatMap} background (e.g. the learned density, log scale), the
 * borders of reference regions drawn white (e.g. the exact basins of a grid), points coloured by the basin they were
 * assigned to, each basin's minimum as a large numbered dot, and paths between basins (black) with their highest
 * point marked by a cross.
 */
public final class BasinMap {
    /** Categorical colours (Tableau 10), used in order and repeated beyond ten basins. */
    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};

    /**
     * What is drawn over the background; coordinates are data coordinates.
     *
     * @param regions per background cell: its region (borders between regions are drawn), or null for none
     * @param points  interleaved x, y of the assigned points
     * @param group   per point: its basin
     * @param minima  interleaved x, y of each basin's minimum (basin k at 2k, 2k+1)
     * @param paths   polylines (interleaved x, y), each with its highest point in {@code peaks} (2 values per path)
     */
    public record Overlay(int[] regions, float[] points, int[] group, float[] minima, List<float[]> paths,
                          float[] peaks) {
    }

    private BasinMap() {
    }

    /**
     * @param background {@code size * size} values, row 0 = lowest y, spanning [-extent, extent]^2
     */
    public static BufferedImage render(String title, double[] background, int size, double extent, boolean log,
                                       double logFloor, Overlay overlay, int pixels) {
        BufferedImage img = HeatMap.render(background, size, title, log, logFloor, pixels);
        Graphics2D g = Ticks.antialiased(img.createGraphics());
        try {
            if (overlay.regions() != null) {
                borders(img, overlay.regions(), size, pixels);
            }
            for (int i = 0; i < overlay.group().length; i++) {
                g.setColor(PALETTE[overlay.group()[i] % PALETTE.length]);
                double[] p = pixel(overlay.points()[2 * i], overlay.points()[2 * i + 1], extent, pixels);
                g.fill(new Ellipse2D.Double(p[0] - 2.5, p[1] - 2.5, 5, 5));
            }
            g.setStroke(new BasicStroke(1.8f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            for (int k = 0; k < overlay.paths().size(); k++) {
                float[] path = overlay.paths().get(k);
                Path2D.Double line = new Path2D.Double();
                for (int i = 0; i + 1 < path.length; i += 2) {
                    double[] p = pixel(path[i], path[i + 1], extent, pixels);
                    if (i == 0) {
                        line.moveTo(p[0], p[1]);
                    } else {
                        line.lineTo(p[0], p[1]);
                    }
                }
                g.setColor(Color.BLACK);
                g.draw(line);
                double[] peak = pixel(overlay.peaks()[2 * k], overlay.peaks()[2 * k + 1], extent, pixels);
                g.setColor(Color.WHITE);
                g.draw(new Line2D.Double(peak[0] - 5, peak[1] - 5, peak[0] + 5, peak[1] + 5));
                g.draw(new Line2D.Double(peak[0] - 5, peak[1] + 5, peak[0] + 5, peak[1] - 5));
            }
            g.setFont(Ticks.FONT.deriveFont(Font.BOLD, 11f));
            for (int k = 0; 2 * k + 1 < overlay.minima().length; k++) {
                double[] p = pixel(overlay.minima()[2 * k], overlay.minima()[2 * k + 1], extent, pixels);
                g.setColor(PALETTE[k % PALETTE.length]);
                g.fill(new Ellipse2D.Double(p[0] - 9, p[1] - 9, 18, 18));
                g.setColor(Color.WHITE);
                g.draw(new Ellipse2D.Double(p[0] - 9, p[1] - 9, 18, 18));
                Ticks.centred(g, Integer.toString(k), p[0], p[1] + 4);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Where (x, y) lands in a heat map of {@code pixels} (below its title band). */
    static double[] pixel(double x, double y, double extent, int pixels) {
        return new double[] {(x + extent) / (2 * extent) * pixels,
            HeatMap.TITLE_HEIGHT + (extent - y) / (2 * extent) * pixels};
    }

    /** White pixels where the region changes to the right or below, as the heat map samples cells per pixel. */
    private static void borders(BufferedImage img, int[] regions, int size, int pixels) {
        for (int py = 0; py < pixels; py++) {
            for (int px = 0; px < pixels; px++) {
                int here = regions[cellAt(px, py, size, pixels)];
                boolean edge = (px + 1 < pixels && regions[cellAt(px + 1, py, size, pixels)] != here)
                        || (py + 1 < pixels && regions[cellAt(px, py + 1, size, pixels)] != here);
                if (edge) {
                    img.setRGB(px, HeatMap.TITLE_HEIGHT + py, 0xffffff);
                }
            }
        }
    }

    private static int cellAt(int px, int py, int size, int pixels) {
        int row = size - 1 - py * size / pixels;
        return row * size + px * size / pixels;
    }
}
