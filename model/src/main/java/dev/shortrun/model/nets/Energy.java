package dev.shortrun.model.nets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.shortrun.model.torch.Autograd;
import dev.shortrun.model.torch.Precision;

/**
 * What the samplers climb: f(x), the negative energy up to a scale ("higher = more likely"). {@link EnergyNet} is
 * the learned one; tests and the long-run diagnostic's checks use hand-written energies with known densities.
 */
public interface Energy {
    /** f(x) for a batch: input (N, ...), output shape (N); differentiable with respect to x. */
    NDArray forward(NDArray x);

    /**
     * d(sum_i f(x_i))/dx, in {@code x}'s manager and shape; {@code x} itself is left as it was. By autograd unless
     * an energy has a faster way to the same numbers.
     */
    default NDArray inputGradient(NDArray x) {
        return valueAndGradient(x).gradient();
    }

    /**
     * f(x) (shape (N), no gradient) and d(sum_i f(x_i))/dx, both in {@code x}'s manager, from one forward and one
     * input-backward pass: what a MALA step needs of each state. By autograd unless an energy has a faster way.
     */
    default ValueAndGradient valueAndGradient(NDArray x) {
        x.setRequiresGradient(true);
        NDArray f = Autograd.recording(() -> {
            NDArray out = forward(x);
            Autograd.backward(out.sum());
            return out;
        });
        NDArray grad = x.getGradient();
        x.setRequiresGradient(false);
        NDArray value = f.stopGradient();
        value.attach(x.getManager());
        grad.attach(x.getManager());
        return new ValueAndGradient(value, grad);
    }

    /** f at a batch and its input gradient. */
    record ValueAndGradient(NDArray value, NDArray gradient) {
    }

    /**
     * The energy a chain climbs, valid while {@code chain} is open (weights do not change during a chain). A learned
     * energy switches its weights' gradients off (cheaper steps) and may hand out a faster copy of itself; a
     * hand-written one is its own chain energy.
     */
    default Energy forChain(NDManager chain) {
        return this;
    }

    /**
     * As {@link #forChain(NDManager)}, computing grad f in {@code precision} (results are float32 either way).
     * Hand-written energies compute in float32 only: asking one for bf16 is an error, not a float32 chain.
     */
    default Energy forChain(NDManager chain, Precision precision) {
        if (precision != Precision.FP32) {
            throw new UnsupportedOperationException(getClass().getSimpleName() + " computes in fp32 only, not "
                    + precision.settingName());
        }
        return forChain(chain);
    }
}
