package dev.shortrun.model.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.data.ImageDataset;
import dev.shortrun.model.util.Rng;

/**
 * Training images held on the host; each batch draws indices uniformly with replacement, as the seed code's
 * {@code LongTensor(m).random_(0, N)}, and copies only that batch to the device.
 */
public final class ImageSource implements PositiveSource {
    private final ImageDataset data;

    public ImageSource(ImageDataset data) {
        this.data = data;
    }

    public ImageDataset data() {
        return data;
    }

    @Override
    public NDArray batch(NDManager manager, int size, Rng rng) {
        int dim = data.dim();
        float[] out = new float[size * dim];
        for (int i = 0; i < size; i++) {
            System.arraycopy(data.pixels(), rng.nextInt(data.count()) * dim, out, i * dim, dim);
        }
        return manager.create(out, new Shape(size, data.channels(), data.height(), data.width()));
    }

    /** The first {@code n} examples in order (for the data grid and held-out comparisons). */
    public NDArray first(NDManager manager, int n) {
        int count = Math.min(n, data.count());
        float[] out = new float[count * data.dim()];
        System.arraycopy(data.pixels(), 0, out, 0, out.length);
        return manager.create(out, new Shape(count, data.channels(), data.height(), data.width()));
    }

    @Override
    public long[] exampleShape() {
        return new long[] {data.channels(), data.height(), data.width()};
    }

    @Override
    public java.util.OptionalInt count() {
        return java.util.OptionalInt.of(data.count());
    }

    @Override
    public String fingerprint() {
        return data.name() + ":" + data.count() + ":" + data.contentMd5();
    }
}
