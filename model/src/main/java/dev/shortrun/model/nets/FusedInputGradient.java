package dev.shortrun.model.nets;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.torch.Precision;
import dev.shortrun.model.torch.TorchScript;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * d(sum_i f(x_i))/dx of a LeakyReLU convolution stack on the CPU, computed as autograd computes it but in one
 * TorchScript call that reaches oneDNN operators DJL has no binding for. The forward pass applies each LeakyReLU
 * inside its convolution (oneDNN post-op: one pass over the activations fewer per layer) with weights reordered once
 * per chain into oneDNN's own format (autograd reorders them on every call); the backward pass is autograd's own
 * kernels ({@code convolution_backward} for the input only, {@code leaky_relu_backward} on the saved outputs, whose
 * sign is the input's for a slope >= 0). Measured at batch 64, 3x32x32, 2 threads, in one JVM with the two paths
 * interleaved: the gradient of a Langevin step 57 -> 48 ms at n_f 32 and 169 -> 160 ms at n_f 64, bit-identical to
 * autograd's; {@code shortrun bench}'s iteration ratio to PyTorch went from about 1.0 to 0.89-0.96 at both widths.
 *
 * <p>Lives for one chain (the weights do not change during it); its weight copies are the chain's.
 */
final class FusedInputGradient {
    private static final Logger LOG = LoggerFactory.getLogger(FusedInputGradient.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private final List<ConvLayer> layers;
    private final int imageSize;
    private final TorchScript packer;
    private final TorchScript gradient;
    private final float slope;
    private final Precision precision; // of the weights and the passes; x comes in and g goes out as float32
    private TorchScript valueAndGradient; // compiled on first use: only MALA chains need f
    private final NDArray[] weights;
    private final NDArray[] biases; // the hidden layers'
    private final NDArray lastBias;
    private NDArray[] packed;
    private long packedBatch = -1;

    private FusedInputGradient(NetConfig config, List<ConvLayer> layers, Parameters chainWeights,
                               Precision precision) {
        this.layers = layers;
        this.imageSize = config.imageSize();
        this.precision = precision;
        this.packer = TorchScript.compile("PackWeights", packerCode(layers, config.imageSize()));
        this.gradient = TorchScript.compile("InputGradient", gradientCode(layers, (float) config.slope(), false,
                precision));
        this.slope = (float) config.slope();
        int n = layers.size();
        weights = new NDArray[n];
        biases = new NDArray[n - 1];
        NDManager chain = chainWeights.manager();
        for (int i = 0; i < n; i++) {
            weights[i] = unnamed(chainWeights.get(PlainStack.weightName(i)), chain);
            if (i < n - 1) {
                biases[i] = unnamed(chainWeights.get(PlainStack.biasName(i)), chain);
            }
        }
        lastBias = unnamed(chainWeights.get(PlainStack.biasName(n - 1)), chain);
    }

    /**
     * The fused gradient for a chain on {@code chainWeights} (channels-last copies, in {@code precision}: DJL reads a
     * bfloat16 tensor's type as UNKNOWN, so the chain says it), or null where it does not apply: other activations,
     * architectures without {@link Architecture#fusableLayers}, weights off the CPU or (in an fp32 chain) not
     * float32, or a libtorch without the oneDNN operators (then autograd computes the same gradient; a warning says
     * so once).
     */
    static FusedInputGradient forChain(NetConfig config, Parameters chainWeights, Precision precision) {
        List<ConvLayer> layers = config.architecture().fusableLayers(config);
        if (layers.isEmpty() || config.activation() != Activation.LEAKY_RELU || !chainWeights.onCpu()
                || (precision == Precision.FP32 && chainWeights.asMap().values().stream()
                        .anyMatch(w -> w.getDataType() != DataType.FLOAT32))) {
            return null;
        }
        try {
            return new FusedInputGradient(config, layers, chainWeights, precision);
        } catch (EngineException e) {
            if (!WARNED.getAndSet(true)) {
                LOG.warn("fused Langevin gradient unavailable in this libtorch ({}); autograd computes it, more slowly",
                        e.getMessage().lines().findFirst().orElse(""));
            }
            return null;
        }
    }

    /**
     * Whether {@link #of} takes {@code x}: a float32 CPU image batch of the network's size (a bf16 chain's passes
     * cast it inside the script).
     */
    boolean appliesTo(NDArray x) {
        Shape s = x.getShape();
        return s.dimension() == 4 && s.get(2) == imageSize && s.get(3) == imageSize
                && x.getDataType() == DataType.FLOAT32 && Device.Type.CPU.equals(x.getDevice().getDeviceType());
    }

    /** The input gradient, in {@code x}'s manager. */
    NDArray of(NDArray x) {
        NDArray grad = gradient.forward(arguments(x, false)).singletonOrThrow();
        grad.attach(x.getManager());
        return grad;
    }

    /**
     * f(x) and the input gradient from the same fused forward pass, in {@code x}'s manager: f as the autograd path
     * computes it (the last layer as a per-example dot product plus its bias), so both give the same numbers. Float32
     * chains only: a bf16 chain takes f from its float32 copy ({@link EnergyNet#forChain(NDManager, Precision)}).
     */
    Energy.ValueAndGradient valueAndGradient(NDArray x) {
        if (precision != Precision.FP32) {
            throw new IllegalStateException("a " + precision.settingName() + " chain's f comes from its fp32 copy");
        }
        if (valueAndGradient == null) {
            valueAndGradient = TorchScript.compile("ValueAndInputGradient", gradientCode(layers, slope, true,
                    precision));
        }
        NDList out = valueAndGradient.forward(arguments(x, true));
        out.attach(x.getManager());
        return new Energy.ValueAndGradient(out.get(0), out.get(1));
    }

    /** x, the packed weights, the weights and the hidden biases; then the last layer's bias for the value. */
    private NDArray[] arguments(NDArray x, boolean withValue) {
        NDArray[] forBatch = packed(x);
        NDArray[] in = new NDArray[1 + forBatch.length + weights.length + biases.length + (withValue ? 1 : 0)];
        in[0] = x.getName() == null ? x : unnamed(x, x.getManager());
        System.arraycopy(forBatch, 0, in, 1, forBatch.length);
        System.arraycopy(weights, 0, in, 1 + forBatch.length, weights.length);
        System.arraycopy(biases, 0, in, 1 + forBatch.length + weights.length, biases.length);
        if (withValue) {
            in[in.length - 1] = lastBias;
        }
        return in;
    }

    /** oneDNN's reorder of the weights depends on the batch size: done for the first batch, again if it changes. */
    private NDArray[] packed(NDArray x) {
        long batch = x.getShape().get(0);
        if (batch != packedBatch) {
            NDManager chain = weights[0].getManager();
            if (packed != null) {
                for (NDArray p : packed) {
                    p.close();
                }
            }
            NDArray[] in = new NDArray[layers.size()];
            in[0] = x.getName() == null ? x : unnamed(x, x.getManager());
            System.arraycopy(weights, 0, in, 1, layers.size() - 1);
            NDList out = packer.forward(in);
            out.attach(chain);
            packed = out.toArray(new NDArray[0]);
            packedBatch = batch;
        }
        return packed;
    }

    /** A view of {@code a} without its name (TorchScript arguments must be unnamed), owned by {@code manager}. */
    private static NDArray unnamed(NDArray a, NDManager manager) {
        NDArray view = a.reshape(a.getShape());
        view.attach(manager);
        return view;
    }

    /**
     * {@code forward(x, w0..w(n-2)) -> (p0..p(n-2))}: each hidden layer's weight in the format oneDNN picks for
     * x's batch size at that layer's input shape.
     */
    static String packerCode(List<ConvLayer> layers, int imageSize) {
        int hidden = layers.size() - 1;
        StringBuilder args = new StringBuilder();
        StringBuilder body = new StringBuilder("    n = x.size(0)\n");
        List<String> outs = new ArrayList<>();
        int size = imageSize;
        for (int i = 0; i < hidden; i++) {
            ConvLayer l = layers.get(i);
            args.append(", w").append(i).append(": Tensor");
            body.append(String.format(Locale.ROOT, "    p%d = ops.mkldnn._reorder_convolution_weight(w%d, %s, %s, "
                    + "[1, 1], 1, [n, %d, %d, %d])%n", i, i, pair(l.padding()), pair(l.stride()), l.in(), size, size));
            outs.add("p" + i);
            size = l.outputSize(size);
        }
        return "  def forward(self: __torch__.PackWeights, x: Tensor" + args + ") -> Tuple["
                + String.join(", ", Collections.nCopies(hidden, "Tensor")) + "]:\n" + body
                + "    return (" + String.join(", ", outs) + (hidden == 1 ? ",)" : ")") + "\n";
    }

    /**
     * {@code forward(x, p0..p(n-2), w0..w(n-1), b0..b(n-2)) -> d(sum f)/dx}, or with {@code withValue}
     * {@code forward(..., b(n-1)) -> (f, d(sum f)/dx)}. The last layer spans its whole 4x4 input with one output
     * channel, so d(sum f)/dh at its input is its weight, broadcast over the batch, and f is a per-example dot
     * product with it. In a lower precision (gradient only: f is float32, {@link #valueAndGradient}) x is cast on
     * the way in and the gradient back to float32 on the way out.
     */
    static String gradientCode(List<ConvLayer> layers, float slope, boolean withValue, Precision precision) {
        boolean low = precision != Precision.FP32;
        int hidden = layers.size() - 1;
        String s = Double.toString(slope); // the float the autograd path passes, so both use the same negative slope
        StringBuilder sig = new StringBuilder("x: Tensor");
        for (int i = 0; i < hidden; i++) {
            sig.append(", p").append(i).append(": Tensor");
        }
        for (int i = 0; i <= hidden; i++) {
            sig.append(", w").append(i).append(": Tensor");
        }
        for (int i = 0; i < (withValue ? hidden + 1 : hidden); i++) {
            sig.append(", b").append(i).append(": Tensor");
        }
        StringBuilder body = new StringBuilder();
        if (low) { // the state arrives float32; the passes run in the weights' precision
            body.append("    x = torch.to(x, ").append(precision.scalarType()).append(")\n");
        }
        String input = "x";
        for (int i = 0; i < hidden; i++) {
            ConvLayer l = layers.get(i);
            body.append(String.format(Locale.ROOT, "    h%d = ops.mkldnn._convolution_pointwise(%s, p%d, b%d, %s, %s, "
                    + "[1, 1], 1, \"leaky_relu\", annotate(List[Optional[number]], [%s]), None)%n", i, input, i, i,
                    pair(l.padding()), pair(l.stride()), s));
            input = "h" + i;
        }
        if (withValue) { // as PlainStack's last layer: multiply, sum per example keeping dims, add the bias
            body.append(String.format(Locale.ROOT, "    f = torch.reshape(torch.add(torch.sum(torch.mul(%s, w%d), "
                    + "[1, 2, 3], True), b%d), [-1])%n", input, hidden, hidden));
        }
        body.append(String.format(Locale.ROOT, "    g = torch.leaky_relu_backward(torch.expand_as(w%d, %s), %s, %s, "
                + "True)%n", hidden, input, input, s));
        for (int i = hidden - 1; i >= 0; i--) {
            ConvLayer l = layers.get(i);
            String below = i == 0 ? "x" : "h" + (i - 1);
            body.append(String.format(Locale.ROOT, "    g = torch.convolution_backward(g, %s, w%d, None, %s, %s, "
                    + "[1, 1], False, [0, 0], 1, [True, False, False])[0]%n", below, i, pair(l.stride()),
                    pair(l.padding())));
            if (i > 0) {
                body.append(String.format(Locale.ROOT, "    g = torch.leaky_relu_backward(g, %s, %s, True)%n", below,
                        s));
            }
        }
        String g = low ? "torch.to(g, " + Precision.FP32.scalarType() + ")" : "g";
        return withValue
                ? "  def forward(self: __torch__.ValueAndInputGradient, " + sig + ") -> Tuple[Tensor, Tensor]:\n"
                + body + "    return (f, g)\n"
                : "  def forward(self: __torch__.InputGradient, " + sig + ") -> Tensor:\n" + body + "    return " + g
                + "\n";
    }

    private static String pair(int v) {
        return "[" + v + ", " + v + "]";
    }
}
