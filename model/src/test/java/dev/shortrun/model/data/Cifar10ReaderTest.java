package dev.shortrun.model.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10ReaderTest {
    @TempDir Path tmp;

    @Test
    void sampleTrainSplit() throws Exception {
        Path dir = SharedData.dir("cifar10-sample");
        ImageDataset d = Cifar10Reader.load(dir, "train", 32);
        assertEquals(3805, d.count());
        assertEquals(3, d.channels());
        assertEquals(32, d.imageSize());
        assertEquals(6, d.labels()[0], "first image of data_batch_1 is a frog");
        assertEquals("d12ff6cadffa1b5ccd0f6a20a438d83c", d.contentMd5(), "md5 of the five sample files in order");
        // Labels agree with the independent per-batch label files.
        for (int b = 1; b <= 5; b++) {
            byte[] labels = Files.readAllBytes(dir.resolve("data_batch_" + b + ".labels.u8"));
            for (int i = 0; i < 761; i++) assertEquals(labels[i], d.labels()[(b - 1) * 761 + i], "batch " + b + " #" + i);
        }
        // Planes are R, G, B: pixel (0,0) of image 0 is byte 1, 1025, 2049 of the file.
        byte[] raw = Files.readAllBytes(dir.resolve("data_batch_1.first761.bin"));
        for (int c = 0; c < 3; c++) {
            assertEquals((raw[1 + 1024 * c] & 0xff) / 255f * 2 - 1, d.pixels()[1024 * c], 1e-6f, "channel " + c);
        }
    }

    @Test
    void sampleTestSplitAndResize() {
        ImageDataset d = Cifar10Reader.load(SharedData.dir("cifar10-sample"), "test", 16);
        assertEquals(761, d.count());
        assertEquals(3 * 16 * 16, d.dim());
        assertEquals(3, d.labels()[0], "first test image is a cat");
        assertEquals("58073feae3e93a94bb7d15339ffd71ba", d.contentMd5());
    }

    @Test
    void fullBatchIsPreferredOverSample() throws Exception {
        Files.copy(SharedData.dir("cifar10-sample").resolve("test_batch.first761.bin"),
                tmp.resolve("test_batch.first761.bin"));
        byte[] two = new byte[2 * Cifar10Reader.RECORD];
        two[Cifar10Reader.RECORD] = 9;
        Fixtures.write(tmp.resolve("test_batch.bin"), two);
        ImageDataset d = Cifar10Reader.load(tmp, "test", 32);
        assertEquals(2, d.count());
        assertEquals(9, d.labels()[1]);
        assertEquals(-1f, d.pixels()[0]);
    }

    @Test
    void badLengthNamesFileAndLength() {
        Path bad = Fixtures.write(tmp.resolve("test_batch.bin"), new byte[2 * 3073 + 5]);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10Reader.load(tmp, "test", 32));
        assertEquals(bad + ": expected a length that is a multiple of 3073 (CIFAR-10 binary records), found 6151 bytes",
                e.getMessage());
    }

    @Test
    void labelOutOfRange() {
        byte[] records = new byte[3 * 3073];
        records[2 * 3073] = 10;
        Path bad = Fixtures.write(tmp.resolve("test_batch.bin"), records);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10Reader.load(tmp, "test", 32));
        assertEquals(bad + ": record 2: expected a label in 0..9, found 10", e.getMessage());
    }

    @Test
    void alteredSampleFileFailsChecksum() {
        Path bad = Fixtures.write(tmp.resolve("test_batch.first761.bin"), new byte[3073]);
        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10Reader.load(tmp, "test", 32));
        assertTrue(e.getMessage().startsWith("checksum mismatch for " + bad
                + ": expected 58073feae3e93a94bb7d15339ffd71ba, found " + Md5.hex(new byte[3073])), e.getMessage());
    }

    @Test
    void missingBatchSaysWhatWasLookedFor() throws Exception {
        for (int b = 1; b <= 5; b++) {
            if (b != 3) Fixtures.write(tmp.resolve("data_batch_" + b + ".bin"), new byte[3073]);
        }
        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10Reader.load(tmp, "train", 32));
        assertEquals("cifar10: none of data_batch_3.bin, data_batch_3.first761.bin found in " + tmp, e.getMessage());
        Path absent = tmp.resolve("absent");
        e = assertThrows(DataFormatException.class, () -> Cifar10Reader.load(absent, "test", 32));
        assertEquals("cifar10: directory " + absent + " does not exist (looked for test_batch.bin or test_batch.first761.bin)",
                e.getMessage());
    }
}
