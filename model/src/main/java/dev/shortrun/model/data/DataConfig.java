package dev.shortrun.model.data;

import dev.shortrun.model.data.DatasetCache;
import dev.shortrun.model.data.Datasets;
import dev.shortrun.model.data.ImageDataset;

import java.nio.file.Path;
import java.util.List;

/**
 * Which examples to learn from.
 *
 * @param dataset   mnist, fashion-mnist, cifar10, folder, or a 2D toy (gmm, rings)
 * @param dir       directory of the native files (unused for toys)
 * @param split     train or test
 * @param imageSize side length after resizing (32, 64, 128); 1 for toys
 * @param cap       use only the first {@code cap} examples (0 = all; the paper uses 40,000)
 * @param cacheDir  where decoded image data sets are cached ({@link DatasetCache}), or null to decode every time;
 *                  checkpoints written before this field existed read it as null
 */
public record DataConfig(String dataset, String dir, String split, int imageSize, int cap, String cacheDir) {
    public static final List<String> TOYS = List.of("gmm", "rings");
    public static final int DEFAULT_IMAGE_SIZE = 32;

    public DataConfig {
        if (dataset == null || dataset.isBlank()) {
            throw new IllegalArgumentException("dataset name is required");
        }
        if (cap < 0) {
            throw new IllegalArgumentException("example cap must be >= 0, got " + cap);
        }
    }

    /** Without a cache. */
    public DataConfig(String dataset, String dir, String split, int imageSize, int cap) {
        this(dataset, dir, split, imageSize, cap, null);
    }

    /** The same data, cached in {@code cacheDir} (null: no cache). */
    public DataConfig withCacheDir(String cacheDir) {
        return new DataConfig(dataset, dir, split, imageSize, cap, cacheDir);
    }

    public boolean isToy() {
        return TOYS.contains(dataset);
    }

    /**
     * Reads (or, for toys, defines) the positive examples. With a {@code cacheDir}, the decoded data set comes
     * from the cache when it holds this source, and is written there after decoding otherwise.
     */
    public PositiveSource open() {
        if (isToy()) {
            return new ToySource(dataset);
        }
        if (!Datasets.names().contains(dataset)) {
            throw new IllegalArgumentException("unknown dataset '" + dataset + "' (allowed: "
                    + String.join(", ", Datasets.names()) + ", " + String.join(", ", TOYS) + ")");
        }
        if (dir == null || dir.isBlank()) {
            throw new IllegalArgumentException("dataset " + dataset + " needs a data directory (--data-dir)");
        }
        ImageDataset images = cacheDir == null || cacheDir.isBlank()
                ? Datasets.load(dataset, Path.of(dir), split, imageSize, cap)
                : DatasetCache.load(Path.of(cacheDir), dataset, Path.of(dir), split, imageSize, cap);
        return new ImageSource(images);
    }

    /** Channels of the examples: 2 for toys, else read from the dataset kind. */
    public static int channelsOf(String dataset) {
        return switch (dataset) {
            case "gmm", "rings" -> 2;
            case "mnist", "fashion-mnist" -> 1;
            default -> 3;
        };
    }
}
