package dev.shortrun.model.data;

/**
 * Which examples to learn from.
 *
 * @param dataset   a registered {@link DatasetFormats} name: mnist, fashion-mnist, cifar10, folder, a 2D toy...
 * @param dir       directory of the native files (unused for toys)
 * @param split     train or test
 * @param imageSize side length after resizing (32, 64, 128); 1 for toys
 * @param cap       use only the first {@code cap} examples (0 = all; the paper uses 40,000)
 * @param cacheDir  where decoded image data sets are cached ({@link DatasetCache}), or null to decode every time;
 *                  checkpoints written before this field existed read it as null
 */
public record DataConfig(String dataset, String dir, String split, int imageSize, int cap, String cacheDir) {
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

    /** The registered format of {@link #dataset}; an unknown name is an error listing the registered ones. */
    public DatasetFormat format() {
        return DatasetFormats.get(dataset);
    }

    public boolean isToy() {
        return format().isToy();
    }

    /**
     * Reads (or, for toys, defines) the positive examples. With a {@code cacheDir}, the decoded data set comes
     * from the cache when it holds this source, and is written there after decoding otherwise.
     */
    public PositiveSource open() {
        return format().open(this);
    }
}
