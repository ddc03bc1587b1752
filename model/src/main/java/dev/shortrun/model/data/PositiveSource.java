package dev.shortrun.model.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.shortrun.model.util.Rng;

/** Where x+ comes from: a batch of training examples (before the data noise is added). */
public interface PositiveSource {
    /** A batch of {@code size} examples drawn with {@code rng}, created in {@code manager}. */
    NDArray batch(NDManager manager, int size, Rng rng);

    /** Shape of one example, e.g. (1, 32, 32) or (2) for 2D points. */
    long[] exampleShape();

    /** Identifies the data (content checksum), so a resumed run can check it trains on the same examples. */
    String fingerprint();

    /** Number of distinct training examples; empty for sources that draw fresh points forever (2D toys). */
    default java.util.OptionalInt count() {
        return java.util.OptionalInt.empty();
    }
}
