package dev.shortrun.model.metrics;

/**
 * A network that turns images into the two things scores need: feature vectors (Fréchet distance) and class
 * logits (Inception Score). Implementations: the FID Inception ({@link InceptionNetwork}) and the offline LeNet.
 */
public interface FeatureNetwork extends AutoCloseable {
    /** Short name used in metric names and cache keys, e.g. "inception" or "lenet". */
    String name();

    /** Identifies the weights (a sha256): statistics cached under another checksum are never reused. */
    String checksum();

    /** Features and logits of every image, in order; {@code progress} sees the images done so far. */
    Features run(UInt8Images images, Progress progress);

    @Override
    void close();

    /** Per-image feature vectors and logits. */
    record Features(float[][] features, float[][] logits) {
    }

    /** Called after each batch. */
    interface Progress {
        Progress NONE = (done, total) -> { };

        void update(int done, int total);
    }
}
