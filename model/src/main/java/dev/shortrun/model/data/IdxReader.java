package dev.shortrun.model.data;

import dev.shortrun.model.io.InputLimits;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

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

        byte[] images = readIdx(imagesFile, IMAGES_HEADER, IMAGES_MAGIC, "image");
        byte[] labelBytes = readIdx(labelsFile, LABELS_HEADER, LABELS_MAGIC, "label");
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
        Sources.arrayLength(imagesFile.toString(), count, 1, imageSize);
        Resize resize = (rows == imageSize && cols == imageSize)
                ? null : Resize.bilinear(rows, cols, imageSize, imageSize);
        float[] pixels = Pixels.decode(images, IMAGES_HEADER, rows * cols, count, 1, rows, cols,
                resize, imageSize, imageSize);

        MessageDigest md5 = Md5.newDigest();
        md5.update(images);
        md5.update(labelBytes);
        return new ImageDataset(dataset, count, 1, imageSize, imageSize, pixels, labels, Md5.hex(md5));
    }

    /**
     * The whole file, gunzipped when it starts with the gzip magic bytes 1f 8b, decoded only up to
     * {@link InputLimits#MAX_DATA_FILE_BYTES}: a gzip bomb stops there.
     */
    public static byte[] readDecoded(Path file) {
        return readDecoded(file, (int) InputLimits.MAX_DATA_FILE_BYTES);
    }

    static byte[] readDecoded(Path file, int limit) {
        try (InputStream in = decoded(file)) {
            byte[] out = in.readNBytes(limit);
            if (in.read() >= 0) {
                throw new DataFormatException(file + ": decodes to more than the limit of " + limit
                        + " bytes for one data file");
            }
            return out;
        } catch (IOException e) {
            throw corrupt(file, e);
        }
    }

    /**
     * An IDX file's decoded content, read only as far as its header allows: the magic and the size the header
     * declares (dimensions as unsigned 32-bit numbers, multiplied exactly) are checked against the limit before the
     * payload is decompressed, and reading stops one byte past the declared end.
     */
    static byte[] readIdx(Path file, int headerLength, int magic, String kind) {
        try (InputStream in = decoded(file)) {
            byte[] header = in.readNBytes(headerLength);
            checkHeader(file.toString(), header, headerLength, magic, kind);
            long payload = declaredPayload(file.toString(), header, kind);
            byte[] content = Arrays.copyOf(header, Math.toIntExact(headerLength + payload));
            int found = in.readNBytes(content, headerLength, (int) payload);
            if (found < payload) {
                return Arrays.copyOf(content, headerLength + found); // the parsers name what is missing
            }
            if (in.read() >= 0) {
                throw new DataFormatException(file + ": expected " + payload + " " + kind + " bytes after the "
                        + "header, as it declares, found more (trailing bytes?)");
            }
            return content;
        } catch (IOException e) {
            throw corrupt(file, e);
        }
    }

    private static InputStream decoded(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
        raw.reset();
        return gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
    }

    private static DataFormatException corrupt(Path file, IOException e) {
        return e instanceof ZipException || e instanceof EOFException
                ? new DataFormatException(file + ": gzip stream is corrupt or truncated (" + e.getMessage() + ")", e)
                : new DataFormatException(file + ": cannot read (" + e + ")", e);
    }

    /** Payload bytes the header declares (count, or count x rows x cols), within the limit on a data file. */
    private static long declaredPayload(String file, byte[] header, String kind) {
        ByteBuffer b = ByteBuffer.wrap(header);
        long[] dims = new long[(header.length - 4) / 4];
        for (int i = 0; i < dims.length; i++) dims[i] = Integer.toUnsignedLong(b.getInt(4 + 4 * i));
        long payload = InputLimits.product(dims);
        if (payload > InputLimits.MAX_DATA_FILE_BYTES - header.length) {
            String shape = Arrays.stream(dims).mapToObj(Long::toString).collect(Collectors.joining(" x "));
            throw new DataFormatException(file + ": the IDX " + kind + " header declares " + shape + " = "
                    + InputLimits.count(payload) + " bytes, more than the limit of "
                    + InputLimits.MAX_DATA_FILE_BYTES + " bytes for one data file");
        }
        return payload;
    }

    /** Validates an IDX image file's header and payload length; returns {count, rows, cols}. */
    static int[] parseImagesHeader(String file, byte[] content) {
        checkHeader(file, content, IMAGES_HEADER, IMAGES_MAGIC, "image");
        ByteBuffer b = ByteBuffer.wrap(content); // IDX is big-endian, ByteBuffer's default
        long count = Integer.toUnsignedLong(b.getInt(4));
        long rows = Integer.toUnsignedLong(b.getInt(8));
        long cols = Integer.toUnsignedLong(b.getInt(12));
        if (rows == 0 || cols == 0) {
            throw new DataFormatException(file + ": expected positive dimensions, found "
                    + count + "x" + rows + "x" + cols);
        }
        checkPayload(file, content.length - IMAGES_HEADER, InputLimits.product(count, rows, cols),
                "pixel bytes for " + count + "x" + rows + "x" + cols);
        return new int[] {(int) count, (int) rows, (int) cols};
    }

    /** Validates an IDX label file and returns its labels. */
    static int[] parseLabels(String file, byte[] content) {
        checkHeader(file, content, LABELS_HEADER, LABELS_MAGIC, "label");
        long count = Integer.toUnsignedLong(ByteBuffer.wrap(content).getInt(4));
        checkPayload(file, content.length - LABELS_HEADER, count, "label bytes for " + count + " labels");
        int[] labels = new int[(int) count];
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
            throw new DataFormatException(file + ": expected " + InputLimits.count(expected) + " " + what
                    + ", found " + found
                    + (found < expected ? " (file truncated?)" : " (trailing bytes?)"));
        }
    }
}
