package dev.shortrun.model.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.nets.Energy;
import dev.shortrun.model.torch.Autograd;
import dev.shortrun.model.torch.ChannelsLast;
import dev.shortrun.model.torch.PerExample;
import dev.shortrun.model.torch.Precision;
import dev.shortrun.model.torch.RandomTensors;

/**
 * Metropolis-adjusted Langevin (MALA) on {@code U = -f / T} (see {@link Temperature}), in the Anatomy paper's
 * parametrisation: propose {@code X' = X - (eps^2/2) dU/dX + eps Z}, i.e. {@code X' = X + (eps^2/2T) grad f + eps Z},
 * and accept each chain's proposal on its own with probability
 * {@code min(1, exp(U(X) - U(X')) q(X | X') / q(X' | X))}, where
 * {@code q(b | a) = N(b; a - (eps^2/2) dU/da, eps^2 I)} is the proposal density. A rejected chain keeps X. The
 * chain's stationary density is exactly {@code exp(-U)} for any eps; eps only sets speed and acceptance.
 *
 * <p>(The reference evaluation writes the same ratio as a one-step Hamiltonian move with momenta Z and
 * {@code Z - (eps/2)(dU/dX + dU/dX')}; the two are algebraically identical.) U and dU/dX of the current state are
 * kept from the step that produced it, so each step costs one forward and one input-backward pass, as a plain step,
 * through the same fused path on the CPU ({@link Energy#valueAndGradient}).
 * Each step lives in its own sub-manager: memory stays flat over any number of steps.
 */
public final class MalaSampler {
    private final double eps;
    private final Temperature temperature;
    private final Precision precision;

    public MalaSampler(double eps, Temperature temperature) {
        this(eps, temperature, Precision.FP32);
    }

    /** @param precision of grad f inside the chain; the state, proposal, f and acceptance test stay float32 */
    public MalaSampler(double eps, Temperature temperature, Precision precision) {
        if (!(eps > 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("MALA step eps must be a positive number, got " + eps);
        }
        this.eps = eps;
        this.temperature = temperature;
        this.precision = precision;
    }

    public double eps() {
        return eps;
    }

    public Temperature temperature() {
        return temperature;
    }

    /**
     * Runs {@code steps} MALA steps from {@code start} (left untouched); the listener sees the state after every
     * step (the array is valid only during the call).
     *
     * @return the final state in {@code start}'s manager, the fraction of accepted proposals over all chains and
     *     steps, and the mean per-sample ||grad f|| over the visited states
     */
    public Chain run(Energy target, NDArray start, int steps, RandomTensors random,
                     LangevinSampler.StepListener listener) {
        NDManager owner = start.getManager();
        Autograd.stopRecording();
        long n = start.getShape().get(0);
        try (NDManager chain = owner.newSubManager()) {
            Energy energy = target.forChain(chain, precision);
            State s = State.at(energy, ChannelsLast.copyOf(start), chain); // as LangevinSampler: no reorders
            NDArray accepted = chain.zeros(new Shape());
            NDArray gradNormSum = chain.zeros(new Shape());
            for (int k = 1; k <= steps; k++) {
                try (NDManager step = chain.newSubManager()) {
                    s.attach(step); // the old state is freed with the step unless it is kept
                    gradNormSum.addi(LangevinSampler.perSampleNorm(s.grad).mean());
                    NDArray z = random.normal(step, s.x.getShape());
                    Proposal p = propose(energy, s, z, step);
                    NDArray logRatio = p.logRatio();
                    NDArray u = random.uniform(step, new Shape(n), 0f, 1f);
                    NDArray accept = u.log().lt(logRatio);
                    accepted.addi(accept.toType(DataType.FLOAT32, false).sum());
                    State next = s.choose(accept, p.state());
                    next.attach(chain);
                    s = next;
                    if (listener != null) {
                        listener.onStep(k, s.x);
                    }
                }
            }
            double rate = steps == 0 ? Double.NaN : accepted.getFloat() / ((double) steps * n);
            double meanNorm = steps == 0 ? 0.0 : gradNormSum.getFloat() / steps;
            NDArray samples = ChannelsLast.toDefaultLayout(s.x);
            samples.attach(owner);
            return new Chain(samples, rate, meanNorm, steps);
        }
    }

    /**
     * The log Metropolis-Hastings ratio of the proposals {@code X + (eps^2/2T) grad f(X) + eps z}, one per chain
     * (the quantity compared with log u), in {@code x}'s manager; for conformance checks against the reference
     * evaluation.
     */
    public NDArray logAcceptance(Energy target, NDArray x, NDArray z) {
        Autograd.stopRecording();
        NDManager owner = x.getManager();
        try (NDManager scope = owner.newSubManager()) { // the states and the chain energy are freed here
            Energy energy = target.forChain(scope, precision);
            NDArray logRatio = propose(energy, State.at(energy, x.duplicate(), scope), z, scope).logRatio();
            logRatio.attach(owner);
            return logRatio;
        }
    }

    /** A proposed state and the log of its acceptance ratio. */
    private record Proposal(State state, NDArray logRatio) {
    }

    private Proposal propose(Energy energy, State s, NDArray z, NDManager manager) {
        float drift = (float) temperature.stepOnGradF(eps);
        NDArray proposal = s.x.add(s.grad.mul(drift)).addi(z.mul((float) eps));
        State p = State.at(energy, proposal, manager);
        // log q(X'|X) = -|eps Z|^2 / (2 eps^2) = -|Z|^2 / 2 (constants cancel in the ratio)
        NDArray logForward = sumPerSample(z.square()).muli(-0.5f);
        // log q(X|X') = -|X - X' - (eps^2/2T) grad f(X')|^2 / (2 eps^2)
        NDArray back = s.x.sub(p.x).subi(p.grad.mul(drift)).divi((float) eps);
        NDArray logBackward = sumPerSample(back.square()).muli(-0.5f);
        // U(X) - U(X') = (f(X') - f(X)) / T
        NDArray logRatio = p.f.sub(s.f).muli((float) (1.0 / temperature.value())).addi(logBackward)
                .subi(logForward);
        return new Proposal(p, logRatio);
    }

    private static NDArray sumPerSample(NDArray a) {
        return a.sum(ChannelsLast.exampleAxes(a));
    }

    /** A chain state with f and grad f there (the proposal's become the state's when it is accepted). */
    private record State(NDArray x, NDArray f, NDArray grad) {
        static State at(Energy energy, NDArray x, NDManager manager) {
            x.attach(manager);
            Energy.ValueAndGradient at = energy.valueAndGradient(x); // fused on the CPU for LeakyReLU stacks
            return new State(x, at.value(), at.gradient());
        }

        /** Per chain: {@code other} where {@code take} is true, else this. */
        State choose(NDArray take, State other) {
            return new State(PerExample.where(take, other.x, x), PerExample.where(take, other.f, f),
                    PerExample.where(take, other.grad, grad));
        }

        void attach(NDManager manager) {
            x.attach(manager);
            f.attach(manager);
            grad.attach(manager);
        }
    }

    /** The end of a MALA chain, its acceptance rate and mean ||grad f||. */
    public record Chain(NDArray samples, double acceptanceRate, double meanGradNorm, int steps) {
    }
}
