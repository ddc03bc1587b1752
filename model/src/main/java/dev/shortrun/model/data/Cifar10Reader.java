package dev.shortrun.model.data;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Reader for the CIFAR-10 binary version: records of 3073 bytes (label 0..9, then 1024 R, 1024 G,
 * 1024 B bytes of a row-major 32x32 image).
 *
 * <p>The train split is data_batch_1..5; for each batch the full {@code data_batch_N.bin} is used, or
 * else the partial sample {@code data_batch_N.first761.bin} (shared/data/cifar10-sample). The test split
 * is {@code test_batch.bin} or {@code test_batch.first761.bin}. {@code contentMd5} is the MD5 of the
 * chosen files' bytes concatenated in batch order.
 *
 * <p>Other sizes use {@link Resize#antialiased}, which is what torchvision {@code Resize} does on PIL
 * images and equals plain bilinear when upsampling.
 */
public final class Cifar10Reader {
    public static final int RECORD = 3073;
    public static final int SIDE = 32;
    static final String DATASET = "cifar10";

    private Cifar10Reader() {}

    public static ImageDataset load(Path dir, String split, int imageSize) {
        if (imageSize <= 0) throw new IllegalArgumentException("imageSize must be > 0, got " + imageSize);
        MessageDigest md5 = Md5.newDigest();
        List<byte[]> contents = new ArrayList<>();
        int count = 0;
        for (String batch : batches(split)) {
            Path file = find(dir, batch);
            byte[] bytes = Sources.readAll(file);
            validate(file, bytes);
            KnownChecksums.verify(DATASET, file.getFileName().toString(), file.toString(), Md5.hex(bytes));
            md5.update(bytes);
            contents.add(bytes);
            count += bytes.length / RECORD; // at most 5 x 1 GiB / 3073: an int
        }

        Resize resize = imageSize == SIDE ? null : Resize.antialiased(SIDE, SIDE, imageSize, imageSize);
        int dim = 3 * imageSize * imageSize;
        float[] pixels = new float[Sources.arrayLength(DATASET + ": " + dir, count, 3, imageSize)];
        int[] labels = new int[count];
        int done = 0;
        for (byte[] bytes : contents) {
            int n = bytes.length / RECORD;
            float[] part = Pixels.decode(bytes, 1, RECORD, n, 3, SIDE, SIDE, resize, imageSize, imageSize);
            System.arraycopy(part, 0, pixels, done * dim, part.length);
            for (int i = 0; i < n; i++) labels[done + i] = bytes[i * RECORD];
            done += n;
        }
        return new ImageDataset(DATASET, count, 3, imageSize, imageSize, pixels, labels, Md5.hex(md5));
    }

    /** The batches of a split, in reading order: data_batch_1..5 or test_batch. */
    static List<String> batches(String split) {
        List<String> batches = new ArrayList<>();
        if (Sources.split(split).equals("train")) {
            for (int n = 1; n <= 5; n++) batches.add("data_batch_" + n);
        } else {
            batches.add("test_batch");
        }
        return batches;
    }

    /** A batch's file: the full {@code .bin}, else the partial {@code .first761.bin} sample. */
    static Path find(Path dir, String batch) {
        return Sources.find(DATASET, dir, batch + ".bin", batch + ".first761.bin");
    }

    /** Whole records only, labels in 0..9. */
    static void validate(Path file, byte[] bytes) {
        if (bytes.length % RECORD != 0) {
            throw new DataFormatException(file + ": expected a length that is a multiple of " + RECORD
                    + " (CIFAR-10 binary records), found " + bytes.length + " bytes");
        }
        for (int i = 0; i < bytes.length / RECORD; i++) {
            int label = bytes[i * RECORD] & 0xff;
            if (label > 9) {
                throw new DataFormatException(file + ": record " + i + ": expected a label in 0..9, found " + label);
            }
        }
    }
}
