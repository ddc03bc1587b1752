package dev.shortrun.model.data;

import dev.shortrun.model.data.DataConfig;
import dev.shortrun.model.data.ImageSource;
import dev.shortrun.model.io.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatasetCacheTest {
    @TempDir
    Path tmp;

    private static void assertSame(ImageDataset want, ImageDataset got) {
        assertEquals(want.name(), got.name());
        assertEquals(want.count(), got.count());
        assertEquals(want.channels(), got.channels());
        assertEquals(want.height(), got.height());
        assertEquals(want.width(), got.width());
        assertEquals(want.contentMd5(), got.contentMd5());
        assertArrayEquals(want.pixels(), got.pixels());
        assertArrayEquals(want.labels(), got.labels());
    }

    @Test
    void roundTripOnRealMnistEqualsTheDecodedData() throws IOException {
        Path mnist = SharedData.dir("mnist");
        ImageDataset decoded = DatasetFormats.image("mnist").read(mnist, "train", 32, 1000);
        String sourceMd5 = DatasetFormats.image("mnist").sourceMd5(mnist, "train");
        Path file = DatasetCache.write(tmp, decoded, "train", 1000, sourceMd5, mnist);
        assertEquals(tmp.resolve("mnist-" + sourceMd5 + "-32-cap1000.safetensors"), file);
        assertEquals(file, DatasetCache.pathFor(tmp, "mnist", "train", 32, 1000, sourceMd5));
        assertSame(decoded, DatasetCache.read(file));

        var meta = Safetensors.read(file).metadata();
        assertEquals(DatasetCache.FORMAT, meta.get("format"));
        assertEquals("mnist", meta.get("dataset"));
        assertEquals("train", meta.get("split"));
        assertEquals(decoded.contentMd5(), meta.get("content_md5"));
        assertEquals(sourceMd5, meta.get("source_md5"));
        assertEquals("32", meta.get("image_size"));
        assertEquals("1000", meta.get("cap"));
    }

    @Test
    void sourceMd5IsTheRawBytesAndDiffersPerSplit() {
        Path mnist = SharedData.dir("mnist");
        String train = DatasetFormats.image("mnist").sourceMd5(mnist, "train");
        assertEquals(train, DatasetFormats.image("mnist").sourceMd5(mnist, "train"));
        assertNotEquals(train, DatasetFormats.image("mnist").sourceMd5(mnist, "test"));
        Path cifar = SharedData.dir("cifar10-sample");
        // CIFAR files are stored raw, so the source md5 is the content md5 of the decoded set
        assertEquals(DatasetFormats.image("cifar10").read(cifar, "test", 32, 0).contentMd5(),
                DatasetFormats.image("cifar10").sourceMd5(cifar, "test"));
    }

    @Test
    void truncatedCacheFileGivesAnErrorNamingIt() throws IOException {
        Path mnist = SharedData.dir("mnist");
        ImageDataset decoded = DatasetFormats.image("mnist").read(mnist, "test", 32, 100);
        Path file = DatasetCache.write(tmp, decoded, "test", 100,
                DatasetFormats.image("mnist").sourceMd5(mnist, "test"), mnist);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        DataFormatException e = assertThrows(DataFormatException.class, () -> DatasetCache.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());

        Files.write(file, new byte[] {1, 2, 3});
        e = assertThrows(DataFormatException.class, () -> DatasetCache.read(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void aCorruptCacheIsDecodedAgainAndRewritten() throws IOException {
        Path mnist = SharedData.dir("mnist");
        Path cache = tmp.resolve("cache");
        ImageDataset first = DatasetCache.load(cache, "mnist", mnist, "test", 32, 50);
        Path file = DatasetCache.pathFor(cache, "mnist", "test", 32, 50,
                DatasetFormats.image("mnist").sourceMd5(mnist, "test"));
        Files.write(file, new byte[] {1, 2, 3});
        assertSame(first, DatasetCache.load(cache, "mnist", mnist, "test", 32, 50));
        assertSame(first, DatasetCache.read(file));
    }

    @Test
    void secondOpenReadsTheCacheWithoutTheSource() throws IOException {
        Path copy = tmp.resolve("mnist-copy");
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(SharedData.dir("mnist"))) {
            for (Path f : files.toList()) Files.copy(f, copy.resolve(f.getFileName()));
        }
        Path cache = tmp.resolve("cache");
        DataConfig config = new DataConfig("mnist", copy.toString(), "train", 32, 1000, cache.toString());
        ImageSource first = (ImageSource) config.open();
        ImageDataset decoded = DatasetFormats.image("mnist").read(SharedData.dir("mnist"), "train", 32, 1000);
        assertSame(decoded, first.data());
        try (Stream<Path> files = Files.list(cache)) {
            assertEquals(1, files.count(), "one cache file");
        }

        try (Stream<Path> files = Files.list(copy)) {
            for (Path f : files.toList()) Files.delete(f);
        }
        Files.delete(copy);
        ImageSource second = (ImageSource) config.open();
        assertSame(decoded, second.data());
        assertEquals(first.fingerprint(), second.fingerprint());

        // without the cache the missing source is still an error
        assertThrows(DataFormatException.class, () -> config.withCacheDir(null).open());
    }

    @Test
    void decodeVersusCacheTimingOnFullMnistTrain() {
        Path mnist = SharedData.dir("mnist");
        Path cache = tmp.resolve("cache");
        long t0 = System.nanoTime();
        ImageDataset decoded = DatasetFormats.image("mnist").read(mnist, "train", 32, 0);
        long t1 = System.nanoTime();
        String sourceMd5 = DatasetFormats.image("mnist").sourceMd5(mnist, "train");
        long t2 = System.nanoTime();
        Path file = DatasetCache.write(cache, decoded, "train", 0, sourceMd5, mnist);
        long t3 = System.nanoTime();
        ImageDataset cached = DatasetCache.load(cache, "mnist", mnist, "train", 32, 0);
        long t4 = System.nanoTime();
        assertSame(decoded, cached);
        long t5 = System.nanoTime();
        DatasetCache.read(file);
        long t6 = System.nanoTime();
        System.out.printf("[timing] second cache read %.2f s%n", (t6 - t5) / 1e9);
        System.out.printf("[timing] MNIST train 60000x1x32x32: decode %.2f s, source md5 %.2f s, write %.2f s, "
                        + "cached load (md5 + read) %.2f s, file %d MB%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                (t3 - t2) / 1e9, (t4 - t3) / 1e9, file.toFile().length() >> 20);
    }
}
