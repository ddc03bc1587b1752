package dev.shortrun.model.io;

import java.awt.Color;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;

/** Pixel checks shared by the plot tests. */
final class PlotTestSupport {
    private PlotTestSupport() {}

    /** Whether a pixel within {@code radius} of {@code p} is within {@code tol} per channel of {@code c}. */
    static boolean colourNear(BufferedImage img, Point2D.Double p, int radius, Color c, int tol) {
        int cx = (int) Math.floor(p.x), cy = (int) Math.floor(p.y);
        for (int y = cy - radius; y <= cy + radius; y++) {
            for (int x = cx - radius; x <= cx + radius; x++) {
                if (x < 0 || y < 0 || x >= img.getWidth() || y >= img.getHeight()) continue;
                int rgb = img.getRGB(x, y);
                if (Math.abs((rgb >> 16 & 0xff) - c.getRed()) <= tol && Math.abs((rgb >> 8 & 0xff) - c.getGreen()) <= tol
                        && Math.abs((rgb & 0xff) - c.getBlue()) <= tol) {
                    return true;
                }
            }
        }
        return false;
    }
}
