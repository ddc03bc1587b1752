package dev.shortrun.model.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The sizes shortrun accepts from input files, checked before the memory is allocated: a small hostile file (a gzip
 * bomb, a PNG header that declares 20000x20000, a JSON header nested 200,000 deep) is refused in milliseconds with one
 * line that names the file and the limit, instead of running the JVM out of heap or stack. Each limit is far above
 * what the papers' data and shortrun's own files need (README, "Reliability").
 */
public final class InputLimits {
    /**
     * Bytes of one data file as decoded in memory: an IDX file after gunzip, a CIFAR-10 batch, one image file (1 GiB;
     * MNIST's training images are 47 MB, a CIFAR-10 batch 30 MB).
     */
    public static final long MAX_DATA_FILE_BYTES = 1L << 30;
    /** Pixels of one image, width x height, read from its header before it is decoded (8192 x 8192). */
    public static final long MAX_IMAGE_PIXELS = 1L << 26;
    /** Elements, or bytes, of one array in memory (a data set's pixels, an .npy array, a tensor): Java's own limit. */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** Nesting depth of a JSON document (safetensors headers, checkpoint JSONs, manifests); theirs is 2 to 5. */
    public static final int MAX_JSON_DEPTH = 64;
    /** Size of a JSON file read whole (a checkpoint JSON is ~2 KB). Safetensors headers have their own 100 MB. */
    public static final long MAX_JSON_BYTES = 16L << 20;
    /** Header of an .npy file: numpy's own default for {@code np.load} (its {@code max_header_size}). */
    public static final int MAX_NPY_HEADER_BYTES = 10_000;
    /** Dimensions of an .npy array: numpy 2's own maximum. */
    public static final int MAX_NPY_RANK = 64;

    private InputLimits() {
    }

    /** The whole file, refused before reading when it is larger than {@link #MAX_DATA_FILE_BYTES}. */
    public static byte[] readDataFile(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_DATA_FILE_BYTES) {
            throw new IOException(file + ": " + size + " bytes, more than the limit of " + MAX_DATA_FILE_BYTES
                    + " bytes for one data file");
        }
        return Files.readAllBytes(file);
    }

    /** The product of {@code factors} (each >= 0), or {@link Long#MAX_VALUE} when it does not fit a long. */
    public static long product(long... factors) {
        long p = 1;
        for (long f : factors) {
            if (f == 0) {
                return 0;
            }
            if (p > Long.MAX_VALUE / f) {
                p = Long.MAX_VALUE; // keep scanning: a later 0 still makes the product 0
            } else {
                p *= f;
            }
        }
        return p;
    }

    /**
     * The length of one array of {@code count} images of {@code channels x height x width}; IllegalArgumentException
     * naming {@code source} when that is more than one Java array holds ({@link #MAX_ARRAY}).
     */
    public static int arrayLength(Object source, long count, long channels, long height, long width) {
        long length = product(count, channels, height, width);
        if (length > MAX_ARRAY) {
            throw new IllegalArgumentException(source + ": " + count + " images of " + channels + "x" + height + "x"
                    + width + " are " + count(length) + " values, more than the limit of " + MAX_ARRAY
                    + " for one array (use fewer images or a smaller image size)");
        }
        return (int) length;
    }

    /** "N" or, past what a long holds, "more than 9.2e18": for messages, never a negative or wrapped count. */
    public static String count(long saturated) {
        return saturated == Long.MAX_VALUE ? "more than 9.2e18" : Long.toString(saturated);
    }

    /**
     * The maximum nesting depth of JSON {@code text} (brackets outside strings), stopping as soon as it exceeds
     * {@code max}: a check that costs one pass and no stack, made before a parser or Gson's recursive getters see it.
     */
    public static int jsonDepth(CharSequence text, int max) {
        int depth = 0;
        int deepest = 0;
        boolean inString = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                deepest = Math.max(deepest, ++depth);
                if (deepest > max) {
                    return deepest;
                }
            } else if (c == '}' || c == ']') {
                depth--;
            }
        }
        return deepest;
    }
}
