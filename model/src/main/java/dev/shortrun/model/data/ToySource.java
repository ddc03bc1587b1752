package dev.shortrun.model.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.util.Rng;

/** Fresh draws from a 2D toy distribution every batch, as the Anatomy code's {@code sample_toy_data}. */
public final class ToySource implements PositiveSource {
    private final ToyDistribution toy;

    public ToySource(ToyDistribution toy) {
        this.toy = toy;
    }

    public String name() {
        return toy.name();
    }

    @Override
    public NDArray batch(NDManager manager, int size, Rng rng) {
        return manager.create(toy.sample(size, rng.nextLong()), new Shape(size, 2));
    }

    @Override
    public long[] exampleShape() {
        return new long[] {2};
    }

    @Override
    public String fingerprint() {
        return "toy:" + toy.name();
    }
}
