package dev.shortrun.model.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;

/**
 * Reader for the IDX files of MNIST and Fashion-MNIST (unsigned-byte images, magic 0x00000803, and
 * labels, magic 0x00000801), raw or gzip-compressed. Compression is detected from the gzip magic bytes
 * 1f 8b, not the file name, so renamed or already-decompressed files work.
 *
 * <p>Images can be resized on load with {@link Resize#bilinear} (PyTorch {@code F.interpolate} bilinear,
 * align_corners=False, antialias=False) on the [0, 1] image; the paper trains digits at 32x32 so the
 * 28x28 originals are usually upsampled. {@code contentMd5} is the MD5 of the decompressed image file
 * followed by the decompressed label file.
 */
public final class IdxReader {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;
    private static final int IMAGES_HEADER = 16;
    private static final int LABELS_HEADER = 8;

    private IdxReader() {}

    /**
     * Loads one split of an MNIST-format data set from {@code dir}: {@code train-*} or {@code t10k-*}
     * image and label files, each raw or with a {@code .gz} suffix. Known file names are checked
     * against {@link KnownChecksums} for {@code dataset}.
     */
    public static ImageDataset load(String dataset, Path dir, String split, int imageSize) {
        String prefix = Sources.split(split).equals("train") ? "train" : "t10k";
        String imagesName = prefix + "-images-idx3-ubyte";
        String labelsName = prefix + "-labels-idx1-ubyte";
        Path imagesFile = Sources.find(dataset, dir, imagesName, imagesName + ".gz");
        Path labelsFile = Sources.find(dataset, dir, labelsName, labelsName + ".gz");

        byte[] images = readDecoded(imagesFile);
        byte[] labelBytes = readDecoded(labelsFile);
        int[] shape = parseImagesHeader(imagesFile.toString(), images);
        int[] labels = parseLabels(labelsFile.toString(), labelBytes);
        // Format first, checksum second: a truncated file gets the more specific message.
        KnownChecksums.verify(dataset, imagesFile.getFileName().toString(), imagesFile.toString(), Md5.hex(images));
        KnownChecksums.verify(dataset, labelsFile.getFileName().toString(), labelsFile.toString(), Md5.hex(labelBytes));
        int count = shape[0], rows = shape[1], cols = shape[2];
        if (labels.length != count) {
            throw new DataFormatException(labelsFile + ": expected " + count + " labels to match " + imagesFile
                    + ", found " + labels.length);
        }

        if (imageSize <= 0) throw new IllegalArgumentException("imageSize must be > 0, got " + imageSize);
        Resize resize = (rows == imageSize && cols == imageSize)
                ? null : Resize.bilinear(rows, cols, imageSize, imageSize);
        float[] pixels = Pixels.decode(images, IMAGES_HEADER, rows * cols, count, 1, rows, cols,
                resize, imageSize, imageSize);

        MessageDigest md5 = Md5.newDigest();
        md5.update(images);
        md5.update(labelBytes);
        return new ImageDataset(dataset, count, 1, imageSize, imageSize, pixels, labels, Md5.hex(md5));
    }

    /** The whole file, gunzipped when it starts with the gzip magic bytes 1f 8b. */
    public static byte[] readDecoded(Path file) {
        byte[] raw = Sources.readAll(file);
        if (raw.length < 2 || (raw[0] & 0xff) != 0x1f || (raw[1] & 0xff) != 0x8b) return raw;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new DataFormatException(file + ": gzip stream is corrupt or truncated (" + e.getMessage() + ")", e);
        }
    }

    /** Validates an IDX image file's header and payload length; returns {count, rows, cols}. */
    static int[] parseImagesHeader(String file, byte[] content) {
        checkHeader(file, content, IMAGES_HEADER, IMAGES_MAGIC, "image");
        ByteBuffer b = ByteBuffer.wrap(content); // IDX is big-endian, ByteBuffer's default
        int count = b.getInt(4), rows = b.getInt(8), cols = b.getInt(12);
        if (count < 0 || rows <= 0 || cols <= 0) {
            throw new DataFormatException(file + ": expected positive dimensions, found "
                    + count + "x" + rows + "x" + cols);
        }
        checkPayload(file, content.length - IMAGES_HEADER, (long) count * rows * cols,
                "pixel bytes for " + count + "x" + rows + "x" + cols);
        return new int[] {count, rows, cols};
    }

    /** Validates an IDX label file and returns its labels. */
    static int[] parseLabels(String file, byte[] content) {
        checkHeader(file, content, LABELS_HEADER, LABELS_MAGIC, "label");
        int count = ByteBuffer.wrap(content).getInt(4);
        if (count < 0) throw new DataFormatException(file + ": expected a label count >= 0, found " + count);
        checkPayload(file, content.length - LABELS_HEADER, count, "label bytes for " + count + " labels");
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) labels[i] = content[LABELS_HEADER + i] & 0xff;
        return labels;
    }

    private static void checkHeader(String file, byte[] content, int headerLength, int magic, String kind) {
        if (content.length < headerLength) {
            throw new DataFormatException(file + ": expected an IDX " + kind + " header of " + headerLength
                    + " bytes, found " + content.length + " bytes (file truncated?)");
        }
        int found = ByteBuffer.wrap(content).getInt(0);
        if (found != magic) {
            throw new DataFormatException(String.format(
                    "%s: expected IDX %s magic 0x%08x, found 0x%08x (not an IDX %s file?)", file, kind, magic, found, kind));
        }
    }

    private static void checkPayload(String file, long found, long expected, String what) {
        if (found != expected) {
            throw new DataFormatException(file + ": expected " + expected + " " + what + ", found " + found
                    + (found < expected ? " (file truncated?)" : " (trailing bytes?)"));
        }
    }
}
