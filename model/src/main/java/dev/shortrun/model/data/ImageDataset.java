package dev.shortrun.model.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * A decoded image data set held in memory.
 *
 * <p>{@code pixels} is NCHW (example, channel, row, column), each value {@code (byte / 255) * 2 - 1} in
 * [-1, 1], i.e. torchvision {@code ToTensor()} followed by {@code Normalize(0.5, 0.5)}; resizing, when
 * asked for, happens on the [0, 1] image before that final scaling. {@code labels} has one entry per
 * example, -1 where unknown.
 *
 * <p>{@code contentMd5} identifies the source examples, not the preprocessing: it is the MD5 of the
 * decoded source bytes in the order each reader documents (for IDX: decompressed image file then
 * decompressed label file). {@link #cap} folds the cap into it so that a subset never shares the
 * identity of the whole. Records compare arrays by reference; compare {@code contentMd5} instead.
 */
public record ImageDataset(String name, int count, int channels, int height, int width, float[] pixels,
                           int[] labels, String contentMd5) {

    public ImageDataset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(contentMd5, "contentMd5");
        if (count < 0) throw new IllegalArgumentException("count must be >= 0, got " + count);
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(
                    "channels, height and width must be > 0, got " + channels + "x" + height + "x" + width);
        }
        long expected = (long) count * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("pixels.length must be count*channels*height*width = " + count
                    + "*" + channels + "*" + height + "*" + width + " = " + expected + ", got " + pixels.length);
        }
        if (labels.length != count) {
            throw new IllegalArgumentException(
                    "labels.length must equal count " + count + ", got " + labels.length);
        }
    }

    /** Side length of the square images. */
    public int imageSize() {
        if (height != width) {
            throw new IllegalStateException("images are not square: " + height + "x" + width);
        }
        return height;
    }

    /** Number of values per example, channels*height*width. */
    public int dim() {
        return channels * height * width;
    }

    /** The first {@code max} examples; {@code this} when {@code max <= 0} or there are no more than that. */
    public ImageDataset cap(int max) {
        if (max <= 0 || max >= count) return this;
        return new ImageDataset(name, max, channels, height, width, Arrays.copyOf(pixels, max * dim()),
                Arrays.copyOf(labels, max), Md5.hex(contentMd5 + ":first" + max));
    }
}
