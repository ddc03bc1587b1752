package dev.shortrun.model.learning;

import java.util.Locale;

/** Adam (PyTorch's exact update) or plain SGD; lr comes from the learner's schedule. */
public record OptimizerConfig(Kind kind, double beta1, double beta2, double eps) {
    public enum Kind { ADAM, SGD }

    public OptimizerConfig {
        if (kind == null) {
            throw new IllegalArgumentException("optimizer kind is required");
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("Adam eps must be positive, got " + eps);
        }
    }

    /** The seed code's Adam: betas (0.9, 0.999), PyTorch's default eps 1e-8. Constants: picocli shows them. */
    public static final double DEFAULT_BETA1 = 0.9;
    public static final double DEFAULT_BETA2 = 0.999;
    public static final double DEFAULT_EPS = 1e-8;

    public static OptimizerConfig adam() {
        return new OptimizerConfig(Kind.ADAM, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS);
    }

    public static OptimizerConfig sgd() {
        return new OptimizerConfig(Kind.SGD, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPS);
    }

    public static Kind parseKind(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "adam" -> Kind.ADAM;
            case "sgd" -> Kind.SGD;
            default -> throw new IllegalArgumentException("unknown optimizer '" + text + "' (allowed: adam, sgd)");
        };
    }

    public Optimizer create(dev.shortrun.model.nets.Parameters params) {
        return kind == Kind.ADAM ? new Adam(this, params) : new Sgd();
    }
}
