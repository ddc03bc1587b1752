package dev.shortrun.model.io;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Sample grids that match torchvision's
 * {@code save_image(torch.clamp(x, -1, 1), path, normalize=True, nrow=nrow)} pixel for pixel, so
 * figures from the Java pipeline can be compared directly with the reference implementation.
 */
public final class ImageGrid {
    /** torchvision's defaults for make_grid. */
    static final int PADDING = 2;
    static final float PAD_VALUE = 0f;

    private ImageGrid() {}

    /** The reference code's {@code int(sqrt(m))} images per row. */
    public static int defaultNrow(int n) {
        return Math.max(1, (int) Math.floor(Math.sqrt(n)));
    }

    public static BufferedImage render(Tensor x) {
        return render(x, defaultNrow(x.dim(0)));
    }

    /** Renders an (N, C, H, W) tensor with C = 1 or 3 as an RGB grid with {@code nrow} images per row. */
    public static BufferedImage render(Tensor x, int nrow) {
        if (x.rank() != 4 || (x.dim(1) != 1 && x.dim(1) != 3) || x.dim(0) < 1) {
            throw new IllegalArgumentException("expected a non-empty (N, C, H, W) tensor with C = 1 or 3, got " + x);
        }
        if (nrow < 1) throw new IllegalArgumentException("nrow must be positive, got " + nrow);
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3);
        float[] v = normalised(x.data());

        // make_grid returns a lone image as is, without padding.
        int pad = n == 1 ? 0 : PADDING;
        int xmaps = Math.min(nrow, n);
        int ymaps = (n + xmaps - 1) / xmaps;
        int gridH = ymaps * (h + pad) + pad;
        int gridW = xmaps * (w + pad) + pad;
        BufferedImage img = new BufferedImage(gridW, gridH, BufferedImage.TYPE_INT_RGB);
        int padByte = toByte(PAD_VALUE);
        int padRgb = padByte << 16 | padByte << 8 | padByte;
        for (int yy = 0; yy < gridH; yy++) {
            for (int xx = 0; xx < gridW; xx++) img.setRGB(xx, yy, padRgb);
        }
        int plane = h * w;
        for (int k = 0; k < n; k++) {
            int top = pad + (k / xmaps) * (h + pad);
            int left = pad + (k % xmaps) * (w + pad);
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    int base = k * c * plane + i * w + j;
                    // A grey image is repeated into R, G and B, as make_grid does.
                    int r = toByte(v[base]);
                    int g = c == 1 ? r : toByte(v[base + plane]);
                    int b = c == 1 ? r : toByte(v[base + 2 * plane]);
                    img.setRGB(left + j, top + i, r << 16 | g << 8 | b);
                }
            }
        }
        return img;
    }

    /**
     * Clamp to [-1, 1], then min-max scale with the global extremes (normalize=True,
     * scale_each=False). torchvision computes the range in double and divides in float32.
     */
    static float[] normalised(float[] data) {
        float[] v = new float[data.length];
        float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < data.length; i++) {
            v[i] = Math.max(-1f, Math.min(1f, data[i]));
            lo = Math.min(lo, v[i]);
            hi = Math.max(hi, v[i]);
        }
        float range = (float) Math.max((double) hi - (double) lo, 1e-5);
        for (int i = 0; i < v.length; i++) v[i] = (v[i] - lo) / range;
        return v;
    }

    /** {@code mul(255).add_(0.5).clamp_(0, 255)} then the truncating uint8 cast. */
    static int toByte(float v) {
        float s = v * 255f + 0.5f;
        return (int) Math.max(0f, Math.min(255f, s));
    }

    public static void write(Path path, Tensor x) throws IOException {
        Png.write(path, render(x));
    }

    public static void write(Path path, Tensor x, int nrow) throws IOException {
        Png.write(path, render(x, nrow));
    }

    /**
     * Batches of equal shape, one per figure column (each holding every row's image), reordered row-major so a
     * grid with {@code columns.size()} images per row shows one row per example (transition strips).
     */
    public static Tensor interleave(List<Tensor> columns) {
        long[] shape = columns.get(0).shape().clone();
        int rows = (int) shape[0];
        int per = columns.get(0).data().length / rows;
        float[] out = new float[per * rows * columns.size()];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns.size(); j++) {
                System.arraycopy(columns.get(j).data(), i * per, out, (i * columns.size() + j) * per, per);
            }
        }
        shape[0] = (long) rows * columns.size();
        return new Tensor(shape, out);
    }

    /** Stacks images vertically, left-aligned, separated by {@code gap} white rows. */
    public static BufferedImage stack(List<BufferedImage> rows, int gap) {
        if (rows.isEmpty()) throw new IllegalArgumentException("nothing to stack");
        int width = rows.stream().mapToInt(BufferedImage::getWidth).max().orElseThrow();
        int height = rows.stream().mapToInt(BufferedImage::getHeight).sum() + gap * (rows.size() - 1);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            int y = 0;
            for (BufferedImage row : rows) {
                g.drawImage(row, 0, y, null);
                y += row.getHeight() + gap;
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** A figure of several grids (e.g. one per training stage) stacked with a small gap. */
    public static void writeStrip(Path path, List<BufferedImage> rows) throws IOException {
        Png.write(path, stack(rows, 4));
    }
}
