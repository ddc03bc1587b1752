package dev.shortrun.model.generator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.shortrun.model.nets.Activation;
import dev.shortrun.model.nets.EnergyNet;
import dev.shortrun.model.sampling.LangevinConfig;
import dev.shortrun.model.sampling.LangevinSampler;
import dev.shortrun.model.sampling.LangevinSampler.StepNoise;

import java.util.ArrayList;
import java.util.List;

/**
 * M_theta(z): the K-step short-run chain as a function of its start z (short-run paper, Section 3.4), a K-layer
 * residual network {@code x_{k+1} = x_k + s grad f(x_k) (+ noise)}. The chain itself is {@link LangevinSampler}'s;
 * this class adds the exact reverse pass: for L(M(z)), with {@code a_K = dL/dx_K},
 * {@code a_k = a_{k+1} + s H f(x_k) a_{k+1}} and {@code dL/dz = a_0}, each Hessian-vector product by double backward
 * at the stored state x_k: O(K) cost for K stored states. Fixed noise is an additive constant: it changes the states
 * but not the formula.
 */
public final class ShortRunGenerator {
    private final EnergyNet net;
    private final LangevinSampler sampler;
    private final int steps;

    public ShortRunGenerator(EnergyNet net, LangevinConfig langevin, int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("K must be >= 0, got " + steps);
        }
        this.net = net;
        this.sampler = new LangevinSampler(langevin);
        this.steps = steps;
    }

    public int steps() {
        return steps;
    }

    public EnergyNet net() {
        return net;
    }

    /** The deterministic chain x = M_theta(z) (noise off, as the paper uses for interpolation and reconstruction). */
    public NDArray apply(NDArray z) {
        return apply(z, null);
    }

    /** M_theta(z, u) with the given noise (null: deterministic); the result belongs to z's manager. */
    public NDArray apply(NDArray z, StepNoise noise) {
        return sampler.run(net, z, steps, noise, null).samples();
    }

    /**
     * The Hessian of f vanishes almost everywhere for LeakyReLU networks (f is piecewise linear in x), so then
     * dM/dz = I a.e. and the reverse pass is the identity: exactly what double backward would return, for free.
     */
    public boolean hessianVanishes() {
        return net.config().activation() == Activation.LEAKY_RELU;
    }

    /**
     * Runs the chain from z, keeping the states x_0 .. x_{K-1} the reverse pass needs (none when the Hessian
     * vanishes). Close the trace to free them.
     */
    public Trace trace(NDArray z, StepNoise noise) {
        NDManager store = z.getManager().newSubManager();
        List<NDArray> states = new ArrayList<>();
        boolean keep = !hessianVanishes();
        if (keep && steps > 0) {
            NDArray first = z.duplicate();
            first.attach(store);
            states.add(first);
        }
        NDArray out = sampler.run(net, z, steps, noise, (k, x) -> {
            if (keep && k < steps) {
                NDArray copy = x.duplicate();
                copy.attach(store);
                states.add(copy);
            }
        }).samples();
        out.attach(store);
        return new Trace(store, states, out);
    }

    /**
     * The vector-Jacobian product {@code (dM/dz)^T a} at the traced start: dL/dz for {@code a = dL/dx_K}. Each
     * example's product is its own (the energy of a batch is a sum over examples). Result in {@code a}'s manager.
     */
    public NDArray pullback(Trace trace, NDArray a) {
        NDManager owner = a.getManager();
        NDArray adjoint = a.duplicate();
        if (hessianVanishes()) {
            return adjoint;
        }
        float s = (float) sampler.config().stepSize();
        net.parameters().requireGradients(false);
        for (int k = trace.states().size() - 1; k >= 0; k--) {
            try (NDManager step = owner.newSubManager()) {
                adjoint.attach(step);
                NDArray hv = net.hessianVector(trace.states().get(k), adjoint);
                NDArray next = adjoint.add(hv.muli(s));
                next.attach(owner);
                adjoint = next;
            }
        }
        return adjoint;
    }

    /** The states of one forward pass, and its output x_K. */
    public record Trace(NDManager store, List<NDArray> states, NDArray output) implements AutoCloseable {
        @Override
        public void close() {
            store.close();
        }
    }
}
