package dev.shortrun.model.torch;

import ai.djl.ndarray.NDArray;

/**
 * Casts between float32 and the chains' lower precisions, and the few tensor creations those need, through
 * TorchScript: DJL 0.35's PyTorch engine has no bfloat16 in its type mapping (its {@code toType} and
 * {@code onesLike} abort the JVM on a bfloat16 tensor, and {@code getDataType} reads UNKNOWN), while its operators
 * (convolutions, products, sums, autograd) run on bfloat16 tensors as libtorch does.
 */
public final class Casts {
    private Casts() {
    }

    /** {@code a} in {@code precision}, a new tensor in {@code a}'s manager ({@code a} itself is left as it is). */
    public static NDArray to(NDArray a, Precision precision) {
        return script("To" + precision.name(), "    return torch.to(x, " + precision.scalarType()
                + ", False, True)\n", a);
    }

    /** Ones of {@code a}'s shape and type, in {@code a}'s manager: a backward seed for a bfloat16 output. */
    public static NDArray onesLike(NDArray a) {
        return script("OnesLike", "    return torch.ones_like(x)\n", a);
    }

    private static NDArray script(String className, String body, NDArray a) {
        TorchScript script = TorchScript.compile(className, "  def forward(self: __torch__." + className
                + ", x: Tensor) -> Tensor:\n" + body);
        NDArray in = a.getName() == null ? a : a.reshape(a.getShape()); // TorchScript arguments are unnamed
        NDArray out = script.forward(in).singletonOrThrow();
        if (in != a) {
            in.close();
        }
        out.attach(a.getManager());
        return out;
    }
}
