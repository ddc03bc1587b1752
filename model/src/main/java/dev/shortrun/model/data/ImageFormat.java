package dev.shortrun.model.data;

import java.nio.file.Path;

/** Image data sets read from files on disk. */
public interface ImageFormat extends DatasetFormat {
    @Override
    default boolean isToy() {
        return false;
    }

    /**
     * Decodes {@code split} ("train" or "test") of the native files in {@code dir} as square images of side
     * {@code imageSize}, keeping the first {@code cap} examples ({@code cap <= 0}: all). A missing or damaged file
     * is a {@link DataFormatException} naming it.
     */
    ImageDataset read(Path dir, String split, int imageSize, int cap);

    /**
     * A fingerprint of the source files {@link #read} reads for {@code split}, computed from their raw bytes without
     * decoding (a fraction of a second for MNIST), so looking up {@link DatasetCache} costs one read of the files,
     * not a decode. It changes whenever a source byte does and does not depend on the image size or the cap.
     * Missing files fail as in {@link #read}.
     */
    String sourceMd5(Path dir, String split);

    /** Decoded from {@code config.dir()}, or taken from the cache in {@code config.cacheDir()} when it has one. */
    @Override
    default PositiveSource open(DataConfig config) {
        if (config.dir() == null || config.dir().isBlank()) {
            throw new IllegalArgumentException("dataset " + name() + " needs a data directory (--data-dir)");
        }
        Path dir = Path.of(config.dir());
        ImageDataset images = config.cacheDir() == null || config.cacheDir().isBlank()
                ? read(dir, config.split(), config.imageSize(), config.cap())
                : DatasetCache.load(Path.of(config.cacheDir()), name(), dir, config.split(), config.imageSize(),
                config.cap());
        return new ImageSource(images);
    }
}
