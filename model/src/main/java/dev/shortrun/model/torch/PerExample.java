package dev.shortrun.model.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;

/** Operations that treat a batch's first axis as its examples: one value or one choice per example. */
public final class PerExample {
    private PerExample() {
    }

    /** (N, 1, ..., 1) for a batch of shape (N, ...): a column of per-example values broadcasts over each example. */
    public static Shape column(Shape batch) {
        long[] dims = new long[batch.dimension()];
        Arrays.fill(dims, 1);
        dims[0] = batch.get(0);
        return new Shape(dims);
    }

    /** Per example: {@code a} where {@code take} (boolean, shape (N)) is true, else {@code b}. */
    public static NDArray where(NDArray take, NDArray a, NDArray b) {
        NDArray rows = take.reshape(column(a.getShape())).broadcast(a.getShape()); // where() cannot broadcast
        return NDArrays.where(rows, a, b);
    }
}
