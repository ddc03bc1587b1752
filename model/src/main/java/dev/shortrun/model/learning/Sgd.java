package dev.shortrun.model.learning;

import ai.djl.ndarray.NDArray;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.nets.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;

/** Plain SGD as torch.optim.SGD without momentum: {@code p <- p - lr * grad}. */
final class Sgd implements Optimizer {
    private long steps;

    @Override
    public void step(Parameters params, double lr) {
        for (NDArray p : params.asMap().values()) {
            try (NDArray grad = p.getGradient(); NDArray update = grad.mul((float) lr)) { // both in p's manager
                p.subi(update);
            }
        }
        steps++;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public LinkedHashMap<String, Tensor> stateTensors() {
        return new LinkedHashMap<>();
    }

    @Override
    public void restore(Map<String, Tensor> tensors, long steps, String source) {
        this.steps = steps;
    }

    @Override
    public void close() {
    }
}
