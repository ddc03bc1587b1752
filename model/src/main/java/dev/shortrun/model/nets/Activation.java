package dev.shortrun.model.nets;

import ai.djl.ndarray.NDArray;

/** The non-linearity between convolutions. LeakyReLU is the papers' choice; smooth ones give non-zero Hessians. */
public enum Activation {
    LEAKY_RELU,
    GELU,
    SOFTPLUS;

    NDArray apply(NDArray x, double slope) {
        return switch (this) {
            case LEAKY_RELU -> ai.djl.nn.Activation.leakyRelu(x, (float) slope);
            case GELU -> ai.djl.nn.Activation.gelu(x);
            case SOFTPLUS -> ai.djl.nn.Activation.softPlus(x);
        };
    }

    /** Parses "leaky_relu", "leaky-relu", "gelu", "softplus" (case-insensitive). */
    public static Activation parse(String text) {
        String key = text.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (Activation a : values()) {
            if (a.name().equals(key)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown activation '" + text + "' (allowed: leaky_relu, gelu, softplus)");
    }
}
