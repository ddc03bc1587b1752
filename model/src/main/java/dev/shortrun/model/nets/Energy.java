package dev.shortrun.model.nets;

import ai.djl.ndarray.NDArray;

/**
 * What the samplers climb: f(x), the negative energy up to a scale ("higher = more likely"). {@link EnergyNet} is
 * the learned one; tests and the long-run diagnostic's checks use hand-written energies with known densities.
 */
public interface Energy {
    /** f(x) for a batch: input (N, ...), output shape (N); differentiable with respect to x. */
    NDArray forward(NDArray x);

    /** Called before a chain runs: a learned energy switches its weights' gradients off (cheaper steps). */
    default void prepareForSampling() {
    }
}
