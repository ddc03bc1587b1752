package dev.shortrun.model.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Reference statistics are computed once per (data set key, network checksum) and read back bit for bit. */
class StatisticsCacheTest {

    /** A "network" whose features are the first pixels plus an offset, counting its calls. */
    static final class FakeNetwork implements FeatureNetwork {
        final String checksum;
        final float offset;
        final AtomicInteger calls = new AtomicInteger();

        FakeNetwork(String checksum, float offset) {
            this.checksum = checksum;
            this.offset = offset;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public String checksum() {
            return checksum;
        }

        @Override
        public Features run(UInt8Images images, Progress progress) {
            calls.incrementAndGet();
            float[][] f = new float[images.count()][3];
            for (int i = 0; i < images.count(); i++) {
                for (int j = 0; j < 3; j++) {
                    f[i][j] = images.at(i * images.dim() + j) + offset;
                }
            }
            return new Features(f, f);
        }

        @Override
        public void close() {
        }
    }

    private static UInt8Images images(int seed) {
        byte[] b = new byte[5 * 4];
        new java.util.Random(seed).nextBytes(b);
        return new UInt8Images(5, 1, 2, 2, b);
    }

    @Test
    void computesOncePerDatasetAndNetwork(@TempDir Path cache) {
        FakeNetwork net = new FakeNetwork("a".repeat(64), 0);
        FeatureStatistics first = StatisticsCache.getOrCompute(cache, net, "mnist-test-28-n5-abc", () -> images(1),
                FeatureNetwork.Progress.NONE);
        FeatureStatistics again = StatisticsCache.getOrCompute(cache, net, "mnist-test-28-n5-abc", () -> images(2),
                FeatureNetwork.Progress.NONE);
        assertEquals(1, net.calls.get(), "the second request must come from the cache");
        assertArrayEquals(first.mean(), again.mean(), 0);
        assertArrayEquals(first.covariance(), again.covariance(), 0);
        assertEquals(5, again.count());

        // another data set key: computed anew
        FeatureStatistics other = StatisticsCache.getOrCompute(cache, net, "mnist-test-28-n5-abd", () -> images(2),
                FeatureNetwork.Progress.NONE);
        assertEquals(2, net.calls.get());
        assertNotEquals(first.mean()[0], other.mean()[0]);

        // other weights, same data: computed anew, never the old file
        FakeNetwork retrained = new FakeNetwork("b".repeat(64), 100);
        FeatureStatistics shifted = StatisticsCache.getOrCompute(cache, retrained, "mnist-test-28-n5-abc",
                () -> images(1), FeatureNetwork.Progress.NONE);
        assertEquals(1, retrained.calls.get());
        assertEquals(first.mean()[0] + 100, shifted.mean()[0], 1e-9);
        assertNotEquals(StatisticsCache.pathFor(cache, net, "k"), StatisticsCache.pathFor(cache, retrained, "k"));
    }

    @Test
    void rejectsUnsafeKeysAndForeignFiles(@TempDir Path cache) throws Exception {
        FakeNetwork net = new FakeNetwork("c".repeat(64), 0);
        assertThrows(IllegalArgumentException.class, () -> StatisticsCache.pathFor(cache, net, "../x"));
        Path file = StatisticsCache.pathFor(cache, net, "k");
        Files.writeString(file, "not statistics");
        assertThrows(RuntimeException.class, () -> StatisticsCache.read(file));
    }
}
