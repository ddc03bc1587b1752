package dev.shortrun.model.nets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.shortrun.model.torch.Autograd;
import dev.shortrun.model.torch.ChannelsLast;
import dev.shortrun.model.util.Rng;

import java.util.List;
import java.util.Locale;

/**
 * A plain stack of convolutions with the activation after every one but the last, laid out like the reference
 * {@code nn.Sequential}, so parameter names are {@code f.0, f.2, ...} (activations occupy the odd indices). Being
 * a plain stack, it has an exact Hessian-vector product from first-order autograd.
 */
abstract class PlainStack implements Architecture {
    /** The convolutions, first to last, for a net of {@code config}'s channels and width. */
    abstract List<ConvLayer> layers(NetConfig config);

    /** Reference parameter name of layer {@code i}'s weight. */
    static String weightName(int layer) {
        return "f." + (2 * layer) + ".weight";
    }

    static String biasName(int layer) {
        return "f." + (2 * layer) + ".bias";
    }

    /** Weight and bias of every layer uniform on +-1/sqrt(fan_in), weight first, layer by layer. */
    @Override
    public void initialise(Parameters params, NetConfig config, Rng rng) {
        List<ConvLayer> layers = layers(config);
        for (int i = 0; i < layers.size(); i++) {
            ConvLayer l = layers.get(i);
            double bound = 1.0 / Math.sqrt(l.fanIn());
            params.addUniform(weightName(i), new Shape(l.out(), l.in(), l.kernel(), l.kernel()), bound, rng);
            params.addUniform(biasName(i), new Shape(l.out()), bound, rng);
        }
    }

    @Override
    public NDArray forward(Parameters params, NetConfig config, NDArray x) {
        List<ConvLayer> layers = layers(config);
        NDArray h = input(x);
        for (int i = 0; i < layers.size(); i++) {
            h = layer(params, layers.get(i), i, h, true);
            if (i < layers.size() - 1) {
                h = config.activation().apply(h, config.slope());
            }
        }
        return h.reshape(x.getShape().get(0));
    }

    /** The batch as the first layer takes it (as given, for images). */
    NDArray input(NDArray x) {
        return x;
    }

    /** Layer {@code i}'s affine map; without the bias it is its linear part, for tangents. */
    NDArray layer(Parameters params, ConvLayer l, int i, NDArray h, boolean bias) {
        NDArray b = bias ? params.get(biasName(i)) : null;
        if (coversWholeInput(l, h)) {
            // the final 4x4 convolution of a 4x4 map into one channel is a dot product per example; as multiply and
            // sum it skips oneDNN's convolution set-up, which costs more than the arithmetic (~2% of a CPU step)
            NDArray dot = h.mul(params.get(weightName(i))).sum(ChannelsLast.exampleAxes(h), true);
            return b == null ? dot : dot.add(b);
        }
        return Conv2d.conv2d(h, params.get(weightName(i)), b, new Shape(l.stride(), l.stride()),
                new Shape(l.padding(), l.padding()), new Shape(1, 1), 1).singletonOrThrow();
    }

    /** One output channel whose unpadded kernel spans the whole (k x k) input: the output is 1x1. */
    private static boolean coversWholeInput(ConvLayer l, NDArray h) {
        Shape s = h.getShape();
        return l.out() == 1 && l.padding() == 0 && s.dimension() == 4 && s.get(2) == l.kernel()
                && s.get(3) == l.kernel();
    }

    /**
     * {@code H f(x_i) v_i} for each example, exactly, with first-order autograd only. Double backward through
     * DJL's {@code backward(create_graph)} leaves a reference cycle between the input and its gradient (PyTorch
     * warns; measured: ~5 MB lost per product at batch 64), so the product is assembled from the chain rule
     * instead. With pre-activations a_l, their tangents da_l = (d a_l/dx) v and g_l = df/dh_l at the hidden
     * outputs h_l = sigma(a_l): {@code H v = sum_l (d a_l/dx)^T (sigma''(a_l) da_l g_l)} (the backward recursion
     * g_{l-1} = W_l^T (sigma'(a_l) g_l) differentiated along v). One forward with tangents, two backward passes.
     */
    @Override
    public NDArray hessianVector(Parameters params, NetConfig config, NDArray x, NDArray v) {
        List<ConvLayer> layers = layers(config);
        NDManager scope = v.getManager();
        NDArray leaf = input(x).duplicate();
        leaf.attach(scope);
        leaf.setRequiresGradient(true);
        return Autograd.recording(() -> {
            int last = layers.size() - 1;
            NDArray[] pre = new NDArray[last];
            NDArray[] tangent = new NDArray[last];
            NDArray[] probe = new NDArray[last];
            NDArray h = leaf;
            NDArray dh = input(v).stopGradient();
            for (int i = 0; i < last; i++) {
                pre[i] = layer(params, layers.get(i), i, h, true);
                NDArray a = pre[i].stopGradient();
                tangent[i] = layer(params, layers.get(i), i, dh, false).stopGradient();
                // a zero leaf added to h_l: its gradient is df/dh_l (DJL exposes no gradients of inner tensors)
                probe[i] = scope.zeros(a.getShape(), a.getDataType());
                probe[i].setRequiresGradient(true);
                h = config.activation().apply(pre[i], config.slope()).add(probe[i]);
                dh = config.activation().derivative(a, config.slope()).muli(tangent[i]);
            }
            NDArray f = layer(params, layers.get(last), last, h, true).sum();
            Autograd.backward(f, f.onesLike(), true, false);
            NDArray objective = null;
            for (int i = 0; i < last; i++) {
                NDArray c = config.activation().secondDerivative(pre[i].stopGradient(), config.slope())
                        .muli(tangent[i]).muli(probe[i].getGradient().stopGradient());
                NDArray term = pre[i].mul(c).sum();
                objective = objective == null ? term : objective.add(term);
            }
            JniUtils.zeroGrad((PtNDArray) leaf);
            Autograd.backward(objective, objective.onesLike(), false, false);
            return leaf.getGradient().stopGradient().reshape(x.getShape());
        });
    }

    @Override
    public long macsPerExample(NetConfig config) {
        long macs = 0;
        int size = imageSize();
        for (ConvLayer l : layers(config)) {
            int out = l.outputSize(size);
            macs += (long) out * out * l.out() * l.fanIn();
            size = out;
        }
        return macs;
    }

    /** The enum constant's name it had: CONV32, TOY, ... */
    @Override
    public String toString() {
        return name().toUpperCase(Locale.ROOT);
    }
}
