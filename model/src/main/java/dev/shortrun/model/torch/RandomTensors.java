package dev.shortrun.model.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.shortrun.model.util.Rng;

/**
 * Random tensors determined by a run's own {@link Rng} rather than by PyTorch's global generator state, so that
 * concurrent runs in one JVM stay independent and a checkpointed run resumes with exactly the same noise.
 */
public final class RandomTensors {
    private static final Object TORCH_GENERATOR = new Object();

    private final Rng rng;

    public RandomTensors(Rng rng) {
        this.rng = rng;
    }

    public Rng rng() {
        return rng;
    }

    /** Uniform on [lo, hi). */
    public NDArray uniform(NDManager manager, Shape shape, float lo, float hi) {
        float[] u = new float[Math.toIntExact(shape.size())];
        rng.fillUniform(u, false);
        return manager.create(u, shape).muli(hi - lo).addi(lo);
    }

    /**
     * Standard normal N(0, I), drawn by PyTorch's vectorised generator re-seeded from this run's {@link Rng} for
     * every draw: as fast as {@code randn_like} (a Java or Box-Muller draw costs 3x more per Langevin step), and
     * still a pure function of the run's RNG state. The lock keeps seed-then-draw atomic across runs sharing the
     * JVM, since PyTorch's default generator is process-wide.
     */
    public NDArray normal(NDManager manager, Shape shape) {
        long seed = rng.nextLong();
        synchronized (TORCH_GENERATOR) {
            JniUtils.setSeed(seed);
            return manager.randomNormal(shape);
        }
    }
}
