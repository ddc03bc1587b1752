package dev.shortrun.model.io;

import java.util.Arrays;

/**
 * A dense float32 array in C (row-major) order: the common currency of the file formats here.
 * Arrays are not copied; callers own them.
 */
public record Tensor(long[] shape, float[] data) {
    public Tensor {
        if (shape == null || data == null) {
            throw new IllegalArgumentException("shape and data must not be null");
        }
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
                    + " elements but data has " + data.length);
        }
    }

    /** Number of elements. */
    public long size() {
        return data.length;
    }

    /** Size of dimension {@code i}. */
    public int dim(int i) {
        return Math.toIntExact(shape[i]);
    }

    public int rank() {
        return shape.length;
    }

    /** How many elements are NaN or infinite. */
    public long nonFiniteCount() {
        long n = 0;
        for (float v : data) {
            if (!Float.isFinite(v)) {
                n++;
            }
        }
        return n;
    }

    // Records compare arrays by identity; tensors are compared by value.
    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
