package dev.shortrun.model.torch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.util.Rng;

/**
 * Random tensors drawn from a run's own {@link Rng} rather than PyTorch's global generator, so that concurrent runs
 * in one JVM stay independent and a checkpointed run resumes with exactly the same noise. Uniform bits come from
 * Java (cheap); the Box-Muller transform for normals runs vectorised in PyTorch.
 */
public final class RandomTensors {
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

    /** Standard normal N(0, I). */
    public NDArray normal(NDManager manager, Shape shape) {
        int n = Math.toIntExact(shape.size());
        int half = (n + 1) / 2;
        float[] u1 = new float[half];
        float[] u2 = new float[half];
        rng.fillUniform(u1, true);
        rng.fillUniform(u2, false);
        try (NDManager scope = manager.newSubManager()) {
            NDArray radius = scope.create(u1).log().muli(-2f).sqrt();
            NDArray angle = scope.create(u2).muli((float) (2 * Math.PI));
            NDArray both = radius.mul(angle.cos()).concat(radius.muli(angle.sin()));
            NDArray z = (n == 2 * half ? both : both.get("0:" + n)).reshape(shape);
            z.attach(manager);
            return z;
        }
    }
}
