package dev.shortrun.model.generator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.shortrun.model.sampling.LangevinSampler.StepNoise;
import dev.shortrun.model.torch.ChannelsLast;

/**
 * Reconstruction by the short-run chain (Sections 3.4 and 5.3): gradient descent
 * {@code z_{t+1} = z_t - lr dL/dz} on {@code L(z) = ||x - M_theta(z)||^2} per example, from z_0 ~ p0, with the exact
 * gradient through all K steps ({@link ShortRunGenerator#pullback}). The paper leaves the step size eta_t open (and
 * publishes no reconstruction code); plain gradient descent with a constant lr is its formula taken literally.
 */
public final class Reconstruction {
    /**
     * Default GD step on z. With dL/dz = 2 (M(z) - x) where dM/dz = I (LeakyReLU nets, a.e.), 0.5 is the step that
     * lands on x in one move if the chain's drift stayed put; chosen by us, the paper gives no value.
     */
    public static final double DEFAULT_LR = 0.5;

    private final ShortRunGenerator generator;
    private final double lr;
    private final StepNoise noise;

    /** Observes the iterate after each GD step t = 0..steps (t = 0 is z_0): M(z_t) and the per-example losses. */
    @FunctionalInterface
    public interface Listener {
        void onStep(int t, NDArray reconstruction, NDArray lossPerExample);
    }

    /**
     * @param noise null for the deterministic chain (the paper's M_theta(z)); else the fixed noise u of M(z, u)
     */
    public Reconstruction(ShortRunGenerator generator, double lr, StepNoise noise) {
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("reconstruction learning rate must be positive, got " + lr);
        }
        this.generator = generator;
        this.lr = lr;
        this.noise = noise;
    }

    /** dL/dz at z for targets x (per example), and L per example: {loss, gradient}, both in z's manager. */
    public NDArray[] lossAndGradient(NDArray z, NDArray x) {
        return evaluate(z, x, null, 0);
    }

    /**
     * Runs {@code steps} GD steps from {@code z0} towards {@code x}; returns the final z (in z0's manager). The
     * listener sees M(z_t) for t = 0..steps (the last one computed by one extra forward pass).
     */
    public NDArray run(NDArray z0, NDArray x, int steps, Listener listener) {
        NDManager owner = z0.getManager();
        NDArray z = z0.duplicate();
        for (int t = 0; t < steps; t++) {
            try (NDManager step = owner.newSubManager()) {
                z.attach(step);
                z = z.sub(evaluate(z, x, listener, t)[1].muli((float) lr));
                z.attach(owner);
            }
        }
        if (listener != null) {
            try (NDManager last = owner.newSubManager()) {
                NDArray copy = z.duplicate();
                copy.attach(last);
                NDArray out = generator.apply(copy, noise);
                listener.onStep(steps, out, sumPerExample(out.sub(x).square()));
            }
        }
        return z;
    }

    private NDArray[] evaluate(NDArray z, NDArray x, Listener listener, int t) {
        try (ShortRunGenerator.Trace trace = generator.trace(z, noise)) {
            NDArray residual = trace.output().sub(x);
            NDArray loss = sumPerExample(residual.square());
            if (listener != null) {
                listener.onStep(t, trace.output(), loss);
            }
            NDArray grad = generator.pullback(trace, residual.muli(2f));
            loss.attach(z.getManager());
            grad.attach(z.getManager());
            return new NDArray[] {loss, grad};
        }
    }

    /** Sum over all but the first axis: shape (N). */
    static NDArray sumPerExample(NDArray a) {
        return a.sum(ChannelsLast.exampleAxes(a));
    }

    /** Mean squared error per pixel of each example, shape (N). */
    public static NDArray msePerPixel(NDArray reconstruction, NDArray x) {
        long perExample = x.size() / x.getShape().get(0);
        return sumPerExample(reconstruction.sub(x).square()).divi((float) perExample);
    }
}
