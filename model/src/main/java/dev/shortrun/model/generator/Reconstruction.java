package dev.shortrun.model.generator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.shortrun.model.sampling.LangevinSampler.StepNoise;
import dev.shortrun.model.torch.ChannelsLast;
import dev.shortrun.model.torch.PerExample;

import java.util.Arrays;

/**
 * Reconstruction by the short-run chain (Sections 3.4 and 5.3): descent {@code z_{t+1} = z_t - eta_t dL/dz} on
 * {@code L(z) = ||x - M_theta(z)||^2} per example, from z_0 ~ p0, with the exact gradient through all K steps
 * ({@link ShortRunGenerator#pullback}). The paper leaves eta_t open (and publishes no reconstruction code); the
 * {@link DescentRule} chooses it: a constant (the formula taken literally) or per-example backtracking, which never
 * raises an example's loss.
 */
public final class Reconstruction {
    private final ShortRunGenerator generator;
    private final DescentRule rule;
    private final StepNoise noise;

    /** Observes the iterate after each step t = 0..steps (t = 0 is z_0): M(z_t) and the per-example losses. */
    @FunctionalInterface
    public interface Listener {
        void onStep(int t, NDArray reconstruction, NDArray lossPerExample);
    }

    /**
     * The end of a descent, in z_0's manager.
     *
     * @param z              the final z_T
     * @param reconstruction M(z_T)
     * @param loss           L(z_T) per example
     * @param keptFraction   the fraction of tried steps (examples x steps) that were taken: 1 for the constant rule
     */
    public record Result(NDArray z, NDArray reconstruction, NDArray loss, double keptFraction) {
    }

    /**
     * @param noise null for the deterministic chain (the paper's M_theta(z)); else the fixed noise u of M(z, u)
     */
    public Reconstruction(ShortRunGenerator generator, DescentRule rule, StepNoise noise) {
        this.generator = generator;
        this.rule = rule;
        this.noise = noise;
    }

    public DescentRule rule() {
        return rule;
    }

    /** dL/dz at z for targets x (per example), and L per example: {loss, gradient}, both in z's manager. */
    public NDArray[] lossAndGradient(NDArray z, NDArray x) {
        Point at = evaluate(z, x, true);
        return new NDArray[] {at.loss, at.grad};
    }

    /**
     * Runs {@code steps} descent steps from {@code z0} towards {@code x}. The listener sees M(z_t) for t = 0..steps.
     * Each step costs one pass through the chain (and one reverse pass unless the Hessian vanishes), either rule.
     */
    public Result run(NDArray z0, NDArray x, int steps, Listener listener) {
        NDManager owner = z0.getManager();
        int n = (int) z0.getShape().get(0);
        double[] eta = new double[n];
        Arrays.fill(eta, rule.lr());
        long kept = 0;
        Point at = evaluate(z0.duplicate(), x, steps > 0);
        notify(listener, 0, at);
        for (int t = 0; t < steps; t++) {
            try (NDManager step = owner.newSubManager()) {
                at.attach(step);
                boolean needGradient = t + 1 < steps;
                Point next;
                if (rule.kind() == DescentRule.Kind.CONSTANT) {
                    next = evaluate(at.z.sub(at.grad.mul((float) rule.lr())), x, needGradient);
                    kept += n;
                } else {
                    boolean[] keep = new boolean[n];
                    next = backtrack(at, x, eta, keep, needGradient);
                    for (boolean k : keep) {
                        kept += k ? 1 : 0;
                    }
                }
                next.attach(owner);
                at = next;
            }
            notify(listener, t + 1, at);
        }
        return new Result(at.z, at.output, at.loss, steps == 0 ? 1 : (double) kept / ((long) n * steps));
    }

    /**
     * One backtracking step: tries {@code z - eta_i g_i} for every example i and keeps it where Armijo's condition
     * holds (then eta_i grows); elsewhere z_i stays and eta_i halves. Marks the kept rows in {@code keep}.
     */
    private Point backtrack(Point at, NDArray x, double[] eta, boolean[] keep, boolean needGradient) {
        NDManager manager = at.z.getManager();
        float[] etaRows = new float[eta.length];
        for (int i = 0; i < eta.length; i++) {
            etaRows[i] = (float) eta[i];
        }
        NDArray trialZ = at.z.sub(at.grad.mul(manager.create(etaRows).reshape(PerExample.column(at.z.getShape()))));
        Point trial = evaluate(trialZ, x, needGradient);
        float[] before = at.loss.toFloatArray();
        float[] after = trial.loss.toFloatArray();
        float[] slope = sumPerExample(at.grad.square()).toFloatArray();
        for (int i = 0; i < eta.length; i++) {
            // a non-finite trial loss compares false: rejected
            keep[i] = after[i] <= before[i] - DescentRule.ARMIJO * eta[i] * slope[i];
            eta[i] *= keep[i] ? rule.growth() : DescentRule.SHRINK;
        }
        return at.choose(manager.create(keep), trial);
    }

    private Point evaluate(NDArray z, NDArray x, boolean withGradient) {
        try (ShortRunGenerator.Trace trace = generator.trace(z, noise)) {
            NDArray output = trace.output();
            NDArray residual = output.sub(x);
            NDArray loss = sumPerExample(residual.square());
            NDArray grad = withGradient ? generator.pullback(trace, residual.muli(2f)) : null;
            Point point = new Point(z, output, loss, grad);
            point.attach(z.getManager());
            return point;
        }
    }

    private static void notify(Listener listener, int t, Point at) {
        if (listener != null) {
            listener.onStep(t, at.output, at.loss);
        }
    }

    /** An iterate z with M(z), L(z) per example and dL/dz (null where no further step needs it). */
    private record Point(NDArray z, NDArray output, NDArray loss, NDArray grad) {
        void attach(NDManager manager) {
            z.attach(manager);
            output.attach(manager);
            loss.attach(manager);
            if (grad != null) {
                grad.attach(manager);
            }
        }

        /** Per example: {@code other} where {@code take} is true, else this. */
        Point choose(NDArray take, Point other) {
            NDArray g = other.grad == null ? null : PerExample.where(take, other.grad, grad);
            return new Point(PerExample.where(take, other.z, z), PerExample.where(take, other.output, output),
                    PerExample.where(take, other.loss, loss), g);
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
