package dev.shortrun.model.metrics;

import dev.shortrun.model.data.ImageDataset;
import dev.shortrun.model.io.ImageFiles;
import dev.shortrun.model.io.InputLimits;
import dev.shortrun.model.io.Npy;
import dev.shortrun.model.io.Tensor;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Images as the metrics see them: bytes, NCHW. Scores are computed on what a saved picture holds, so model
 * samples are rounded to uint8 first (REFERENCE.md section 3).
 */
public record UInt8Images(int count, int channels, int height, int width, byte[] pixels) {
    public UInt8Images {
        if ((long) count * channels * height * width != pixels.length) {
            throw new IllegalArgumentException("pixels hold " + pixels.length + " bytes, not " + count + "x"
                    + channels + "x" + height + "x" + width);
        }
    }

    public int dim() {
        return channels * height * width;
    }

    /** Unsigned value of element {@code index}. */
    public int at(int index) {
        return pixels[index] & 0xff;
    }

    /**
     * Model-space samples (N, C, H, W) in [-1, 1] to bytes as torchvision's {@code save_image} writes them:
     * clamp to [-1, 1], map to [0, 1], then {@code mul(255).add(0.5).clamp(0, 255)} and truncate.
     */
    public static UInt8Images fromModelSpace(Tensor samples) {
        if (samples.rank() != 4) {
            throw new IllegalArgumentException("expected (N, C, H, W) samples, got " + samples);
        }
        float[] v = samples.data();
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            float unit = (Math.max(-1f, Math.min(1f, v[i])) + 1f) / 2f;
            out[i] = (byte) (int) Math.max(0f, Math.min(255f, unit * 255f + 0.5f));
        }
        return new UInt8Images(samples.dim(0), samples.dim(1), samples.dim(2), samples.dim(3), out);
    }

    /** A decoded data set back to its source bytes ((b / 255) * 2 - 1 is inverted exactly by rounding). */
    public static UInt8Images fromDataset(ImageDataset data) {
        float[] v = data.pixels();
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) Math.round((v[i] + 1f) / 2f * 255f);
        }
        return new UInt8Images(data.count(), data.channels(), data.height(), data.width(), out);
    }

    /** The first {@code n} images. */
    public UInt8Images first(int n) {
        if (n >= count) {
            return this;
        }
        byte[] out = java.util.Arrays.copyOf(pixels, n * dim());
        return new UInt8Images(n, channels, height, width, out);
    }

    /**
     * A folder of images (png, jpg, bmp, gif; sorted by name, as pytorch-fid converts each to RGB) or an .npy
     * file: uint8 (N, C, H, W) / (N, H, W, C) with C in {1, 3}, or float model samples (N, C, H, W) in [-1, 1]
     * (clamped, then rounded as {@link #fromModelSpace}).
     */
    public static UInt8Images read(Path path) {
        if (Files.isDirectory(path)) {
            return readFolder(path);
        }
        if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
            return readNpy(path);
        }
        throw new IllegalArgumentException(path + " is neither a folder of images nor an .npy file");
    }

    private static UInt8Images readFolder(Path dir) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)
                    .matches(".*\\.(png|jpg|jpeg|bmp|gif)")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no images (png, jpg, bmp, gif) in " + dir);
        }
        int h = -1;
        int w = -1;
        byte[] out = null;
        for (int n = 0; n < files.size(); n++) {
            BufferedImage img;
            try {
                img = ImageFiles.read(files.get(n));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read image " + e.getMessage(), e);
            }
            if (out == null) {
                h = img.getHeight();
                w = img.getWidth();
                out = new byte[InputLimits.arrayLength(dir, files.size(), 3, h, w)];
            } else if (img.getHeight() != h || img.getWidth() != w) {
                throw new IllegalArgumentException(files.get(n) + " is " + img.getWidth() + "x" + img.getHeight()
                        + ", the folder's first image " + w + "x" + h + ": all images must have one size");
            }
            int plane = h * w;
            int base = n * 3 * plane;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int rgb = img.getRGB(x, y);
                    out[base + y * w + x] = (byte) (rgb >> 16);
                    out[base + plane + y * w + x] = (byte) (rgb >> 8);
                    out[base + 2 * plane + y * w + x] = (byte) rgb;
                }
            }
        }
        return new UInt8Images(files.size(), 3, h, w, out);
    }

    private static UInt8Images readNpy(Path file) {
        Tensor t;
        try {
            t = Npy.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        if (t.rank() != 4) {
            throw new IllegalArgumentException(file + " has shape " + java.util.Arrays.toString(t.shape())
                    + ", expected 4 dimensions (N, C, H, W) or (N, H, W, C)");
        }
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        boolean integral = true;
        for (float v : t.data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            integral &= v == Math.rint(v);
        }
        boolean channelsLast = t.dim(1) != 1 && t.dim(1) != 3 && (t.dim(3) == 1 || t.dim(3) == 3);
        if (!channelsLast && t.dim(1) != 1 && t.dim(1) != 3) {
            throw new IllegalArgumentException(file + " has shape " + java.util.Arrays.toString(t.shape())
                    + ": expected 1 or 3 channels");
        }
        Tensor nchw = channelsLast ? toChannelsFirst(t) : t;
        // Npy reads every dtype as float: whole numbers in 0..255 are bytes, anything else is model-space samples
        // (SampleCommand --save writes them before clamping, so values outside [-1, 1] are clamped as save_image does).
        if (!integral || min < 0 || max > 255) {
            return fromModelSpace(nchw);
        }
        byte[] out = new byte[nchw.data().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (int) nchw.data()[i];
        }
        return new UInt8Images(nchw.dim(0), nchw.dim(1), nchw.dim(2), nchw.dim(3), out);
    }

    private static Tensor toChannelsFirst(Tensor t) {
        int n = t.dim(0);
        int h = t.dim(1);
        int w = t.dim(2);
        int c = t.dim(3);
        float[] out = new float[t.data().length];
        for (int i = 0; i < n; i++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    for (int k = 0; k < c; k++) {
                        out[((i * c + k) * h + y) * w + x] = t.data()[((i * h + y) * w + x) * c + k];
                    }
                }
            }
        }
        return new Tensor(new long[] {n, c, h, w}, out);
    }
}
