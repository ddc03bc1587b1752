package dev.shortrun.model.data;

/**
 * A kind of training data: an image data set read from its native files ({@link ImageFormat}) or a 2D toy
 * distribution drawn afresh every batch ({@link ToyDistribution}). The registered ones are listed in
 * {@link DatasetFormats}: a new format is a class implementing one of those plus one line there.
 */
public interface DatasetFormat {
    /** Registry name: what specs ({@code dataset.name}) and {@code --dataset} say, and checkpoints store. */
    String name();

    /** One line for help texts and docs. */
    String description();

    /** Channels of one example: 1 grey, 3 RGB, 2 for 2D points (x, y). */
    int channels();

    /**
     * Whether where the files are is what identifies the data (a folder of images), so that a run's hash includes
     * the location; a named data set (MNIST) is the same wherever its files lie.
     */
    default boolean locationIsIdentity() {
        return false;
    }

    /** Whether the examples are 2D points drawn afresh (no files, no image size). */
    boolean isToy();

    /** The positive examples {@code config} names: read from the native files (or their cache), or drawn. */
    PositiveSource open(DataConfig config);
}
