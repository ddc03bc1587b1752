package dev.shortrun.model.io;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * A square grid of values drawn in viridis colours (low dark blue, high yellow), auto-scaled from the smallest to
 * the largest value like matplotlib's {@code imshow}, with a small title; and the tiling of such panels into one
 * figure. Row 0 of the values is drawn at the bottom, so y points up.
 */
public final class HeatMap {
    /** viridis sampled at 0, 0.1, ..., 1; colours in between are interpolated linearly. */
    private static final int[] VIRIDIS = {0x440154, 0x482475, 0x414487, 0x355f8d, 0x2a788e, 0x21918c, 0x22a884,
        0x44bf70, 0x7ad151, 0xbddf26, 0xfde725};
    static final int TITLE_HEIGHT = 22;

    private HeatMap() {}

    /**
     * @param values {@code size * size} values, row-major, row 0 = lowest y
     * @param log    draw log10 of the values, those below {@code logFloor} shown as the floor (log10 of 0 is -inf)
     */
    public static BufferedImage render(double[] values, int size, String title, boolean log, double logFloor,
                                       int pixels) {
        if (values.length != size * size) {
            throw new IllegalArgumentException("a heat map of side " + size + " needs " + size * size
                    + " values, got " + values.length);
        }
        double[] shown = new double[values.length];
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < values.length; i++) {
            shown[i] = log ? Math.log10(Math.max(values[i], logFloor)) : values[i];
            if (Double.isFinite(shown[i])) {
                lo = Math.min(lo, shown[i]);
                hi = Math.max(hi, shown[i]);
            }
        }
        BufferedImage img = new BufferedImage(pixels, pixels + TITLE_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Ticks.antialiased(img.createGraphics());
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), TITLE_HEIGHT);
            for (int py = 0; py < pixels; py++) {
                int row = size - 1 - py * size / pixels; // top of the picture is the largest y
                for (int px = 0; px < pixels; px++) {
                    double v = shown[row * size + px * size / pixels];
                    double t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
                    img.setRGB(px, TITLE_HEIGHT + py, viridis(Double.isFinite(t) ? t : 0));
                }
            }
            g.setColor(Color.BLACK);
            g.setFont(Ticks.FONT.deriveFont(Font.BOLD, 12f));
            Ticks.centred(g, title, pixels / 2.0, TITLE_HEIGHT - 6);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** The viridis colour at t in [0, 1] as packed RGB. */
    static int viridis(double t) {
        double x = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
        int i = Math.min((int) x, VIRIDIS.length - 2);
        double f = x - i;
        int from = VIRIDIS[i], to = VIRIDIS[i + 1];
        int r = mix(from >> 16, to >> 16, f), gr = mix(from >> 8, to >> 8, f), bl = mix(from, to, f);
        return (r << 16) | (gr << 8) | bl;
    }

    private static int mix(int from, int to, double f) {
        return (int) Math.round((from & 0xff) * (1 - f) + (to & 0xff) * f);
    }

    /** Equal-sized panels in rows of {@code columns}, separated by a small white gap. */
    public static BufferedImage tile(List<BufferedImage> panels, int columns) {
        if (panels.isEmpty() || columns < 1) {
            throw new IllegalArgumentException("need at least one panel and one column");
        }
        int gap = 6;
        int w = panels.get(0).getWidth(), h = panels.get(0).getHeight();
        int rows = (panels.size() + columns - 1) / columns;
        BufferedImage out = new BufferedImage(columns * w + (columns + 1) * gap, rows * h + (rows + 1) * gap,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            for (int i = 0; i < panels.size(); i++) {
                g.drawImage(panels.get(i), gap + (i % columns) * (w + gap), gap + (i / columns) * (h + gap), null);
            }
        } finally {
            g.dispose();
        }
        return out;
    }
}
