package dev.shortrun.model.nets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * What the samplers climb: f(x), the negative energy up to a scale ("higher = more likely"). {@link EnergyNet} is
 * the learned one; tests and the long-run diagnostic's checks use hand-written energies with known densities.
 */
public interface Energy {
    /** f(x) for a batch: input (N, ...), output shape (N); differentiable with respect to x. */
    NDArray forward(NDArray x);

    /**
     * The energy a chain climbs, valid while {@code chain} is open (weights do not change during a chain). A learned
     * energy switches its weights' gradients off (cheaper steps) and may hand out a faster copy of itself; a
     * hand-written one is its own chain energy.
     */
    default Energy forChain(NDManager chain) {
        return this;
    }
}
