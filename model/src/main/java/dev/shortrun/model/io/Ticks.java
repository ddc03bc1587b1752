package dev.shortrun.model.io;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Axis tick positions at "nice" values (1, 2 or 5 times a power of ten) and their labels. */
final class Ticks {
    static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private Ticks() {}

    /** The 1/2/5 x 10^k step that gives about {@code target} intervals over [lo, hi]. */
    static double step(double lo, double hi, int target) {
        double raw = (hi - lo) / Math.max(1, target);
        if (!(raw > 0) || !Double.isFinite(raw)) return 1;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
    }

    /** Multiples of {@link #step} inside [lo, hi]. */
    static List<Double> linear(double lo, double hi, int target) {
        double s = step(lo, hi, target);
        List<Double> out = new ArrayList<>();
        for (long k = (long) Math.ceil(lo / s - 1e-9); k * s <= hi + 1e-9 * s; k++) {
            out.add(k * s == 0 ? 0.0 : k * s); // avoid "-0"
        }
        return out;
    }

    /** Powers of ten inside [lo, hi] (both > 0); falls back to 1, 2, 5 multiples within a decade. */
    static List<Double> log(double lo, double hi) {
        List<Double> out = new ArrayList<>();
        int kLo = (int) Math.floor(Math.log10(lo)), kHi = (int) Math.ceil(Math.log10(hi));
        int every = Math.max(1, (kHi - kLo) / 6); // skip decades when there are many
        for (int k = kLo; k <= kHi; k++) {
            for (double m : (kHi - kLo < 2 ? new double[] {1, 2, 5} : new double[] {1})) {
                double v = m * Math.pow(10, k);
                if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9) && (m != 1 || (k - kLo) % every == 0)) out.add(v);
            }
        }
        return out;
    }

    /** Enough decimals to tell neighbouring ticks apart; scientific notation for extreme magnitudes. */
    static String label(double v, double step) {
        double a = Math.abs(v);
        if (v != 0 && (a >= 1e5 || a < 1e-3)) { // %e, not %g: %g writes 1e-4 as "0.000100", wider than the margin
            return String.format(Locale.ROOT, "%.2e", v).replaceAll("\\.?0+e", "e");
        }
        int decimals = (int) Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(Locale.ROOT, "%." + Math.min(decimals, 6) + "f", v);
    }

    static Graphics2D antialiased(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(FONT);
        return g;
    }

    /** A plot's y-axis label, turned upright, beside a plot area {@code height} high from {@code top}. */
    static void yLabel(Graphics2D g, String label, int top, int height) {
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        centred(g, label, -(top + height / 2.0), 16); // rotated: x is minus the screen y
        g.setTransform(saved);
    }

    /** A plot's title, bold, centred above a plot area that starts at {@code top}. */
    static void title(Graphics2D g, String title, int width, int top) {
        g.setFont(FONT.deriveFont(Font.BOLD, 14f));
        centred(g, title, width / 2.0, top - 12);
        g.setFont(FONT);
    }

    /** Where a legend's entries are: the left edge of their swatches (18 px wide), and each one's centre line. */
    record Legend(int swatchX, int firstY) {
        int y(int entry) {
            return firstY + 16 * entry;
        }
    }

    /**
     * A legend's box with the entries' names, in the top-right corner of a plot area that ends {@code right} pixels
     * from the image's right edge and starts at {@code top}; the caller draws each entry's swatch where it says.
     */
    static Legend legend(Graphics2D g, List<String> names, int width, int right, int top) {
        FontMetrics fm = g.getFontMetrics();
        int boxW = names.stream().mapToInt(fm::stringWidth).max().orElse(0) + 36, boxH = names.size() * 16 + 8;
        int x = width - right - boxW - 8, y = top + 8;
        g.setColor(new Color(255, 255, 255, 220));
        g.fillRect(x, y, boxW, boxH);
        g.setColor(Color.GRAY);
        g.drawRect(x, y, boxW, boxH);
        Legend legend = new Legend(x + 6, y + 12);
        g.setColor(Color.BLACK);
        for (int k = 0; k < names.size(); k++) {
            g.drawString(names.get(k), x + 30, legend.y(k) + 4);
        }
        return legend;
    }

    static void centred(Graphics2D g, String s, double cx, double baseline) {
        FontMetrics fm = g.getFontMetrics();
        g.drawString(s, (float) (cx - fm.stringWidth(s) / 2.0), (float) baseline);
    }
}
