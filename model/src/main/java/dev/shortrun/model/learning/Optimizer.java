package dev.shortrun.model.learning;

import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.nets.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;

/** Updates parameters from their accumulated gradients (of the loss to minimise). */
public interface Optimizer extends AutoCloseable {
    void step(Parameters params, double lr);

    /** Number of updates made so far. */
    long steps();

    /** Tensors of the optimiser state, by name, for checkpoints (empty for SGD). */
    LinkedHashMap<String, Tensor> stateTensors();

    /** Restores a state written by {@link #stateTensors()} after {@code steps} updates. */
    void restore(Map<String, Tensor> tensors, long steps, String source);

    @Override
    void close();
}
