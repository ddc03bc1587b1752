package dev.shortrun.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shortrun.model.HostileFiles;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    /** md5 of zcat train-images-idx3-ubyte.gz followed by zcat train-labels-idx1-ubyte.gz. */
    static final String MNIST_TRAIN_MD5 = "df4ca494903c9fc2f5076d86c1426d6d";
    static final String MNIST_TEST_MD5 = "65edbabb9215f4aecd39822168658b91";

    @TempDir Path tmp;

    @Test
    void mnistTrainAt32() {
        ImageDataset d = IdxReader.load("mnist", SharedData.dir("mnist"), "train", 32);
        assertEquals(60000, d.count());
        assertEquals(1, d.channels());
        assertEquals(32, d.imageSize());
        assertEquals(1024, d.dim());
        assertEquals(5, d.labels()[0]);
        assertEquals(MNIST_TRAIN_MD5, d.contentMd5());
        float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
        for (float v : d.pixels()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertTrue(min >= -1f && max <= 1f, "values in [-1, 1], got [" + min + ", " + max + "]");
        assertEquals(-1f, min, 1e-6f, "background is 0 -> -1");
        assertTrue(max > 0.99f, "some strokes are near white, max " + max);
    }

    @Test
    void mnistTestAt28KeepsExactBytes() {
        Path dir = SharedData.dir("mnist");
        ImageDataset d = IdxReader.load("mnist", dir, "test", 28);
        assertEquals(10000, d.count());
        assertEquals(28, d.imageSize());
        assertEquals(7, d.labels()[0]);
        assertEquals(MNIST_TEST_MD5, d.contentMd5());
        byte[] raw = IdxReader.readDecoded(dir.resolve("t10k-images-idx3-ubyte.gz"));
        for (int k = 0; k < 784; k++) {
            assertEquals((raw[16 + k] & 0xff) / 255f * 2f - 1f, d.pixels()[k], 1e-6f, "pixel " + k);
        }
    }

    @Test
    void upsamplingTo32IsBilinearOfThe28Image() {
        Path dir = SharedData.dir("mnist");
        float[] small = IdxReader.load("mnist", dir, "test", 28).cap(1).pixels();
        float[] big = IdxReader.load("mnist", dir, "test", 32).cap(1).pixels();
        float[] unit = new float[784];
        for (int k = 0; k < 784; k++) unit[k] = (small[k] + 1f) / 2f;
        float[] expected = Resize.bilinear(28, 28, 32, 32).apply(unit, 1);
        for (int k = 0; k < expected.length; k++) expected[k] = expected[k] * 2f - 1f;
        assertArrayEquals(expected, big, 1e-5f);
    }

    @Test
    void gzipIsDetectedByMagicNotName() {
        byte[] labels = Fixtures.idx(IdxReader.LABELS_MAGIC, new int[] {3}, 3);
        labels[10] = 4;
        Path rawNamedGz = Fixtures.write(tmp.resolve("a.gz"), labels);
        Path gzNamedRaw = Fixtures.write(tmp.resolve("b"), Fixtures.gzip(labels));
        assertArrayEquals(labels, IdxReader.readDecoded(rawNamedGz));
        assertArrayEquals(labels, IdxReader.readDecoded(gzNamedRaw));
        assertArrayEquals(new int[] {0, 0, 4}, IdxReader.parseLabels("b", labels));
    }

    @Test
    void truncatedImagesNameFileAndSizes() {
        Fixtures.write(tmp.resolve("train-images-idx3-ubyte.gz"),
                Fixtures.gzip(Fixtures.idx(IdxReader.IMAGES_MAGIC, new int[] {60000, 28, 28}, 1234)));
        Fixtures.write(tmp.resolve("train-labels-idx1-ubyte"),
                Fixtures.idx(IdxReader.LABELS_MAGIC, new int[] {60000}, 60000));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> DatasetFormats.image("mnist").read(tmp, "train", 32, 0));
        assertEquals(tmp.resolve("train-images-idx3-ubyte.gz")
                + ": expected 47040000 pixel bytes for 60000x28x28, found 1234 (file truncated?)", e.getMessage());
    }

    @Test
    void truncatedLabelsNameFileAndSizes() {
        byte[] labels = Arrays.copyOf(Fixtures.idx(IdxReader.LABELS_MAGIC, new int[] {10}, 10), 15);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> IdxReader.parseLabels("x/t10k-labels-idx1-ubyte", labels));
        assertEquals("x/t10k-labels-idx1-ubyte: expected 10 label bytes for 10 labels, found 7 (file truncated?)",
                e.getMessage());
    }

    @Test
    void cutRealGzipIsReportedAsCorruptStream() throws Exception {
        byte[] real = Files.readAllBytes(SharedData.dir("mnist").resolve("t10k-labels-idx1-ubyte.gz"));
        Path cut = Fixtures.write(tmp.resolve("t10k-labels-idx1-ubyte.gz"), Arrays.copyOf(real, real.length / 2));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readDecoded(cut));
        assertTrue(e.getMessage().startsWith(cut + ": gzip stream is corrupt"), e.getMessage());
    }

    @Test
    void garbageAfterGzipMagicIsReportedAsCorruptStream() {
        Path bad = Fixtures.write(tmp.resolve("train-images-idx3-ubyte.gz"),
                new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8, 9});
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readDecoded(bad));
        assertTrue(e.getMessage().startsWith(bad + ": gzip stream is corrupt"), e.getMessage());
    }

    @Test
    void wrongMagicNamesExpectedAndFound() {
        byte[] labelsAsImages = Fixtures.idx(IdxReader.LABELS_MAGIC, new int[] {1, 1, 1}, 1);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> IdxReader.parseImagesHeader("d/train-images-idx3-ubyte", labelsAsImages));
        assertEquals("d/train-images-idx3-ubyte: expected IDX image magic 0x00000803, found 0x00000801"
                + " (not an IDX image file?)", e.getMessage());
    }

    @Test
    void headerShorterThanSixteenBytes() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> IdxReader.parseImagesHeader("f", new byte[] {0, 0, 8, 3, 0}));
        assertEquals("f: expected an IDX image header of 16 bytes, found 5 bytes (file truncated?)", e.getMessage());
    }

    @Test
    void alteredKnownFileFailsChecksum() throws Exception {
        Path mnist = SharedData.dir("mnist");
        Files.copy(mnist.resolve("t10k-images-idx3-ubyte.gz"), tmp.resolve("t10k-images-idx3-ubyte.gz"));
        byte[] labels = IdxReader.readDecoded(mnist.resolve("t10k-labels-idx1-ubyte.gz"));
        labels[8] = (byte) (labels[8] + 1); // still a well-formed label file, but not MNIST's
        Path altered = Fixtures.write(tmp.resolve("t10k-labels-idx1-ubyte"), labels);
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> DatasetFormats.image("mnist").read(tmp, "test", 28, 0));
        assertTrue(e.getMessage().startsWith("checksum mismatch for " + altered
                + ": expected 27ae3e4e09519cfbb04c329615203637, found " + Md5.hex(labels)), e.getMessage());
    }

    @Test
    void unknownFileNamesAreNotChecked() {
        KnownChecksums.verify("mnist", "my-digits.idx", "my-digits.idx", "0123");
        assertEquals("6bbc9ace898e44ae57da46a324031adb",
                KnownChecksums.expected("mnist", "train-images-idx3-ubyte.gz").orElseThrow());
        assertTrue(KnownChecksums.expected("cifar10", "data_batch_1.bin").isEmpty());
    }

    @Test
    void missingFilesAreListed() {
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> IdxReader.load("mnist", tmp, "test", 28));
        assertEquals("mnist: none of t10k-images-idx3-ubyte, t10k-images-idx3-ubyte.gz found in " + tmp,
                e.getMessage());
        Path absent = tmp.resolve("nope");
        e = assertThrows(DataFormatException.class, () -> IdxReader.load("mnist", absent, "test", 28));
        assertEquals("mnist: directory " + absent
                + " does not exist (looked for t10k-images-idx3-ubyte or t10k-images-idx3-ubyte.gz)", e.getMessage());
    }

    @Test
    void gzipBombIsRefusedFromItsHeaderBeforeDecompressing() throws Exception {
        // the file: a few MB of gzip that expand to 2.6 GB, 3,300,000 images of 28 x 28 (it exhausted the heap)
        byte[] header = ByteBuffer.allocate(16).putInt(IdxReader.IMAGES_MAGIC).putInt(3_300_000).putInt(28).putInt(28)
                .array();
        Path bomb = HostileFiles.gzipBomb(tmp.resolve("train-images-idx3-ubyte.gz"), header, 3_300_000L * 784);
        assertTrue(Files.size(bomb) < 4_000_000, "small on disk: " + Files.size(bomb));
        Fixtures.write(tmp.resolve("train-labels-idx1-ubyte"), Fixtures.idx(IdxReader.LABELS_MAGIC, new int[] {1}, 1));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> DatasetFormats.image("mnist").read(tmp, "train", 32, 0));
        assertEquals(bomb + ": the IDX image header declares 3300000 x 28 x 28 = 2587200000 bytes, more than the "
                + "limit of 1073741824 bytes for one data file", e.getMessage());
    }

    @Test
    void gzipBombBehindAModestHeaderStopsOneBytePastIt() throws Exception {
        byte[] header = ByteBuffer.allocate(16).putInt(IdxReader.IMAGES_MAGIC).putInt(10).putInt(28).putInt(28).array();
        Path bomb = HostileFiles.gzipBomb(tmp.resolve("t10k-images-idx3-ubyte.gz"), header, 2_600_000_000L);
        Fixtures.write(tmp.resolve("t10k-labels-idx1-ubyte"),
                Fixtures.idx(IdxReader.LABELS_MAGIC, new int[] {10}, 10));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> DatasetFormats.image("mnist").read(tmp, "test", 28, 0));
        assertEquals(bomb + ": expected 7840 image bytes after the header, as it declares, found more (trailing "
                + "bytes?)", e.getMessage());
        // without a header to go by, decoding stops at the limit
        e = assertThrows(DataFormatException.class, () -> IdxReader.readDecoded(bomb, 1 << 20));
        assertEquals(bomb + ": decodes to more than the limit of 1048576 bytes for one data file", e.getMessage());
    }

    @Test
    void headerOfTwoToThe31SquaredIsReportedWithoutNegativeNumbers() {
        byte[] header = ByteBuffer.allocate(16).putInt(IdxReader.IMAGES_MAGIC).putInt(10).putInt(1 << 31)
                .putInt(1 << 31).array();
        Path f = Fixtures.write(tmp.resolve("train-images-idx3-ubyte"), header);
        Fixtures.write(tmp.resolve("train-labels-idx1-ubyte"),
                Fixtures.idx(IdxReader.LABELS_MAGIC, new int[] {10}, 10));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> DatasetFormats.image("mnist").read(tmp, "train", 32, 0));
        assertEquals(f + ": the IDX image header declares 10 x 2147483648 x 2147483648 = more than 9.2e18 bytes, more "
                + "than the limit of 1073741824 bytes for one data file", e.getMessage());
    }
}
