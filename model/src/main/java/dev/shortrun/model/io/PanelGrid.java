package dev.shortrun.model.io;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

/** Several figures in one picture, row by row, under an optional caption of a few lines. */
public final class PanelGrid {
    static final int CAPTION_LINE = 18;

    private PanelGrid() {}

    /**
     * @param caption  lines shown above the panels (a newline starts another), or null for none
     * @param columns  panels to a row; each cell is as large as the largest panel
     */
    public static BufferedImage compose(String caption, int columns, List<BufferedImage> panels) {
        if (panels.isEmpty() || columns < 1) {
            throw new IllegalArgumentException("a grid needs panels and at least one column, got " + panels.size()
                    + " panels, " + columns + " columns");
        }
        int rows = (panels.size() + columns - 1) / columns;
        int w = panels.stream().mapToInt(BufferedImage::getWidth).max().orElse(1);
        int h = panels.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
        String[] lines = caption == null ? new String[0] : caption.split("\n");
        int top = lines.length == 0 ? 0 : lines.length * CAPTION_LINE + 10;
        BufferedImage img = new BufferedImage(Math.min(columns, panels.size()) * w, top + rows * h,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Ticks.antialiased(img.createGraphics());
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.setColor(Color.BLACK);
            for (int l = 0; l < lines.length; l++) {
                g.drawString(lines[l], 12, (l + 1) * CAPTION_LINE);
            }
            for (int i = 0; i < panels.size(); i++) {
                g.drawImage(panels.get(i), (i % columns) * w, top + (i / columns) * h, null);
            }
        } finally {
            g.dispose();
        }
        return img;
    }
}
