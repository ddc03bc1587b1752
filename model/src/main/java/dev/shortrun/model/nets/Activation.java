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

    /** sigma'(a), elementwise (for Hessian-vector products without double backward). */
    NDArray derivative(NDArray a, double slope) {
        return switch (this) {
            case LEAKY_RELU -> a.gt(0).toType(a.getDataType(), false).muli(1 - slope).addi(slope);
            case GELU -> a.div(Math.sqrt(2)).erf().addi(1).muli(0.5).addi(a.mul(normalDensity(a)));
            case SOFTPLUS -> beyondThreshold(a, ai.djl.nn.Activation.sigmoid(a), 1);
        };
    }

    /** sigma''(a), elementwise; zero for LeakyReLU (almost everywhere, as autograd has it). */
    NDArray secondDerivative(NDArray a, double slope) {
        return switch (this) {
            case LEAKY_RELU -> a.zerosLike();
            case GELU -> normalDensity(a).muli(a.square().neg().addi(2));
            case SOFTPLUS -> {
                NDArray s = ai.djl.nn.Activation.sigmoid(a);
                yield beyondThreshold(a, s.mul(s.neg().addi(1)), 0);
            }
        };
    }

    private static NDArray normalDensity(NDArray a) {
        return a.square().muli(-0.5).exp().muli(1 / Math.sqrt(2 * Math.PI));
    }

    /** PyTorch's softplus is the identity above a = 20 (its threshold); its derivatives there are 1 and 0. */
    private static NDArray beyondThreshold(NDArray a, NDArray value, double linear) {
        return ai.djl.ndarray.NDArrays.where(a.gt(20), value.zerosLike().addi(linear), value);
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
