package dev.shortrun.model.generator;

import java.util.Locale;

/**
 * How {@link Reconstruction} steps z down {@code L(z) = ||x - M_theta(z)||^2}. The short-run paper writes
 * {@code z_{t+1} = z_t - eta_t L'(z_t)} and leaves eta_t open.
 *
 * <ul>
 * <li>{@link Kind#CONSTANT}: eta_t = lr for every example and step, the formula taken literally. It can raise the
 * loss: M_theta of a LeakyReLU net is piecewise smooth with jumps (grad f is piecewise constant), so a step that is
 * right for the local slope can land past a jump, and a strong, z-dependent drift makes a fixed step oscillate.</li>
 * <li>{@link Kind#BACKTRACKING}: each example keeps its own eta, starting at lr. A step is tried and kept only if it
 * lowers that example's loss by Armijo's sufficient decrease {@code L(z - eta g) <= L(z) - c eta ||g||^2}; then eta
 * grows by {@code growth} for the next step. Otherwise z stays where it was and eta halves. No example's loss ever
 * rises, and a step costs what a constant step costs (one pass through the chain): a rejected trial is the
 * backtracking step of a line search spread over the following steps.</li>
 * </ul>
 *
 * @param kind   the rule
 * @param lr     the constant step, or each example's first trial step
 * @param growth backtracking: the factor on eta after a kept step (1 = eta never grows back); unused by constant
 */
public record DescentRule(Kind kind, double lr, double growth) {
    /**
     * Default first step. With dL/dz = 2 (M(z) - x) where dM/dz = I (LeakyReLU nets, a.e.), 0.5 is the step that
     * lands on x in one move if the chain's drift stayed put; the constant rule keeps it as the default too.
     */
    public static final double DEFAULT_LR = 0.5;
    /** Default growth after a kept step (measured: README, "reconstruction"). */
    public static final double DEFAULT_GROWTH = 1.5;
    /** Growth must be at least 1 (a kept step never shrinks eta) and below this bound. */
    public static final double MAX_GROWTH = 10;
    /** Armijo's sufficient-decrease constant c (Nocedal and Wright's usual 1e-4). */
    public static final double ARMIJO = 1e-4;
    /** The factor on eta after a rejected trial. */
    public static final double SHRINK = 0.5;

    public enum Kind { CONSTANT, BACKTRACKING }

    public DescentRule {
        if (kind == null) {
            throw new IllegalArgumentException("reconstruction rule is required (constant or backtracking)");
        }
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("reconstruction learning rate must be positive, got " + lr);
        }
        if (!(growth >= 1 && growth < MAX_GROWTH)) {
            throw new IllegalArgumentException("reconstruction step growth must be in [1, " + MAX_GROWTH + "), got "
                    + growth);
        }
    }

    /** The default: backtracking from {@link #DEFAULT_LR} with {@link #DEFAULT_GROWTH}. */
    public static DescentRule defaults() {
        return new DescentRule(Kind.BACKTRACKING, DEFAULT_LR, DEFAULT_GROWTH);
    }

    /** Plain gradient descent with step {@code lr}, as the paper writes it. */
    public static DescentRule constant(double lr) {
        return new DescentRule(Kind.CONSTANT, lr, DEFAULT_GROWTH);
    }

    public static Kind parseKind(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "constant" -> Kind.CONSTANT;
            case "backtracking" -> Kind.BACKTRACKING;
            default -> throw new IllegalArgumentException("unknown reconstruction rule '" + name
                    + "' (allowed: constant, backtracking)");
        };
    }

    /** The rule's name as written in specs and on the command line. */
    public String name() {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    /** One line naming the rule and the settings it uses, e.g. "backtracking lr 0.5 growth 1.5". */
    public String describe() {
        return kind == Kind.CONSTANT ? String.format(Locale.ROOT, "constant lr %s", lr)
                : String.format(Locale.ROOT, "backtracking lr %s growth %s", lr, growth);
    }
}
