package dev.shortrun.model.metrics;

import dev.shortrun.model.io.AtomicFiles;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Reference statistics of a data set, computed once per (data set, network) and kept on disk. The file name holds
 * both keys: the data set key (name, split, size, count and source checksum, built by the caller) and the first
 * 16 hex digits of the network's sha256, so new weights or other data never reuse old numbers. Files are written
 * atomically; float64 throughout.
 */
public final class StatisticsCache {
    static final String FORMAT = "shortrun-feature-stats/1";

    private StatisticsCache() {
    }

    public static Path pathFor(Path cacheDir, FeatureNetwork network, String datasetKey) {
        if (!datasetKey.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("data set key '" + datasetKey + "' may hold only letters, digits, "
                    + "'.', '_' and '-'");
        }
        return cacheDir.resolve("stats-" + network.name() + "-" + network.checksum().substring(0, 16) + "-"
                + datasetKey + ".bin");
    }

    /** The cached statistics for {@code datasetKey}, or computed from {@code images} and cached. */
    public static FeatureStatistics getOrCompute(Path cacheDir, FeatureNetwork network, String datasetKey,
                                                 Supplier<UInt8Images> images, FeatureNetwork.Progress progress) {
        Path file = pathFor(cacheDir, network, datasetKey);
        if (Files.isRegularFile(file)) {
            return read(file);
        }
        FeatureStatistics stats = FeatureStatistics.of(network.run(images.get(), progress).features());
        write(file, stats);
        return stats;
    }

    static void write(Path file, FeatureStatistics s) {
        try {
            AtomicFiles.write(file, raw -> {
                DataOutputStream out = new DataOutputStream(raw);
                out.writeUTF(FORMAT);
                out.writeInt(s.dim());
                out.writeInt(s.count());
                for (double v : s.mean()) {
                    out.writeDouble(v);
                }
                for (double v : s.covariance()) {
                    out.writeDouble(v);
                }
                out.flush();
            });
        } catch (IOException e) {
            throw AtomicFiles.unchecked(e);
        }
    }

    public static FeatureStatistics read(Path file) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            String format = in.readUTF();
            if (!FORMAT.equals(format)) {
                throw new IllegalArgumentException(file + " has format '" + format + "', expected " + FORMAT);
            }
            int d = in.readInt();
            int n = in.readInt();
            double[] mean = new double[d];
            for (int i = 0; i < d; i++) {
                mean[i] = in.readDouble();
            }
            double[] cov = new double[d * d];
            for (int i = 0; i < cov.length; i++) {
                cov[i] = in.readDouble();
            }
            return new FeatureStatistics(mean, cov, n);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read statistics " + file + " (delete it to recompute): "
                    + e.getMessage(), e);
        }
    }
}
