package dev.shortrun.model.nets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import dev.shortrun.model.nets.Architecture.ConvLayer;
import dev.shortrun.model.torch.Autograd;
import dev.shortrun.model.torch.ChannelsLast;
import dev.shortrun.model.util.Rng;

import java.util.List;

/**
 * f_theta(x): the negative energy. Samples climb it; training raises it on data and lowers it on samples. A plain
 * function of its {@link Parameters}, written as explicit convolutions so nothing hides state or names.
 */
public final class EnergyNet implements Energy, AutoCloseable {
    private final NetConfig config;
    private final List<ConvLayer> layers;
    private final Parameters parameters;
    private final FusedInputGradient fused; // a chain's copy on the CPU only; null: autograd

    private EnergyNet(NetConfig config, Parameters parameters) {
        this.config = config;
        this.layers = config.architecture().layers(config.channels(), config.nf());
        this.parameters = parameters;
        this.fused = null;
    }

    private EnergyNet(EnergyNet trained, Parameters chainCopy) {
        this.config = trained.config;
        this.layers = trained.layers;
        this.parameters = chainCopy;
        this.fused = FusedInputGradient.forChain(config, layers, chainCopy);
    }

    /**
     * A network initialised as PyTorch initialises {@code nn.Conv2d}: weight and bias uniform on
     * +-1/sqrt(fan_in) (kaiming_uniform with a = sqrt(5)), drawn from {@code rng}.
     */
    public static EnergyNet create(NetConfig config, NDManager manager, Rng rng) {
        Parameters params = new Parameters(manager.newSubManager());
        if (config.architecture() == Architecture.NONLOCAL32) {
            NonlocalNet.initialise(params, config.channels(), config.nf(), rng);
            return new EnergyNet(config, params);
        }
        List<ConvLayer> layers = config.architecture().layers(config.channels(), config.nf());
        for (int i = 0; i < layers.size(); i++) {
            ConvLayer l = layers.get(i);
            double bound = 1.0 / Math.sqrt(l.fanIn());
            Shape w = new Shape(l.out(), l.in(), l.kernel(), l.kernel());
            params.add(weightName(i), uniform(params.manager(), w, bound, rng));
            params.add(biasName(i), uniform(params.manager(), new Shape(l.out()), bound, rng));
        }
        return new EnergyNet(config, params);
    }

    static NDArray uniform(NDManager manager, Shape shape, double bound, Rng rng) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((2 * rng.nextDouble() - 1) * bound);
        }
        return manager.create(v, shape);
    }

    /** Reference parameter name of layer {@code i}'s weight: activations occupy the odd Sequential indices. */
    static String weightName(int layer) {
        return "f." + (2 * layer) + ".weight";
    }

    static String biasName(int layer) {
        return "f." + (2 * layer) + ".bias";
    }

    /** f(x) for a batch: input (N, C, H, W) (or (N, 2) points for the toy), output shape (N). */
    @Override
    public NDArray forward(NDArray x) {
        if (config.architecture() == Architecture.NONLOCAL32) {
            return NonlocalNet.forward(parameters, x, config);
        }
        NDArray h = input(x);
        for (int i = 0; i < layers.size(); i++) {
            h = layer(i, h, true);
            if (i < layers.size() - 1) {
                h = config.activation().apply(h, config.slope());
            }
        }
        return h.reshape(x.getShape().get(0));
    }

    /** The toy net reads (N, 2) points; any other shape of a toy batch is flattened to that. */
    private NDArray input(NDArray x) {
        boolean points = config.architecture() == Architecture.TOY && x.getShape().dimension() != 2;
        return points ? x.reshape(x.getShape().get(0), -1) : x;
    }

    /**
     * Layer {@code i}'s affine map (without the bias: its linear part, for tangents). The toy net's 1x1
     * convolutions on a 1x1 "image" are exactly dense layers; computing them as such avoids the convolution
     * kernels' fixed cost, which dominates on 2D points. Weights keep their (out, in, 1, 1) shape.
     */
    private NDArray layer(int i, NDArray h, boolean bias) {
        ConvLayer l = layers.get(i);
        NDArray b = bias ? parameters.get(biasName(i)) : null;
        if (config.architecture() == Architecture.TOY) {
            NDArray dense = parameters.get(weightName(i)).reshape(l.out(), l.in());
            dense.attach(h.getManager()); // freed with the batch, not kept by the weights' run-long manager
            return Linear.linear(h, dense, b).singletonOrThrow();
        }
        if (coversWholeInput(l, h)) {
            // the final 4x4 convolution of a 4x4 map into one channel is a dot product per example; as multiply and
            // sum it skips oneDNN's convolution set-up, which costs more than the arithmetic (~2% of a CPU step)
            NDArray dot = h.mul(parameters.get(weightName(i))).sum(ChannelsLast.exampleAxes(h), true);
            return b == null ? dot : dot.add(b);
        }
        return Conv2d.conv2d(h, parameters.get(weightName(i)), b, new Shape(l.stride(), l.stride()),
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
     * The result belongs to {@code v}'s manager, in {@code x}'s shape; weights must not require gradients.
     */
    public NDArray hessianVector(NDArray x, NDArray v) {
        if (config.architecture() == Architecture.NONLOCAL32) {
            // its softmax attention and max-pools are not a plain conv stack; no tangent rule written for them
            throw new UnsupportedOperationException("Hessian-vector products (reconstruction through the chain, "
                    + "flow likelihood) are implemented for the conv and toy nets, not nonlocal32");
        }
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
                pre[i] = layer(i, h, true);
                NDArray a = pre[i].stopGradient();
                tangent[i] = layer(i, dh, false).stopGradient();
                // a zero leaf added to h_l: its gradient is df/dh_l (DJL exposes no gradients of inner tensors)
                probe[i] = scope.zeros(a.getShape(), a.getDataType());
                probe[i].setRequiresGradient(true);
                h = config.activation().apply(pre[i], config.slope()).add(probe[i]);
                dh = config.activation().derivative(a, config.slope()).muli(tangent[i]);
            }
            NDArray f = layer(last, h, true).sum();
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

    /** Multiply-accumulates of one forward pass for one example (FLOPs = 2x this). */
    public static long macsPerExample(NetConfig config) {
        if (config.architecture() == Architecture.NONLOCAL32) {
            return NonlocalNet.macsPerExample(config.channels(), config.nf());
        }
        long macs = 0;
        int size = config.imageSize();
        for (ConvLayer l : config.architecture().layers(config.channels(), config.nf())) {
            int out = l.outputSize(size);
            macs += (long) out * out * l.out() * l.fanIn();
            size = out;
        }
        return macs;
    }

    /**
     * Sampling needs only the input gradient: weight gradients go off (the learner turns them back on). On the CPU
     * the chain then climbs a copy of this net whose convolution weights are channels-last like the chain's
     * activations ({@link ChannelsLast}); with the default layout libtorch's oneDNN convolutions copy every weight
     * into that layout on every call, twice per step (~2.5% of a step at n_f 32, 3% at n_f 64, measured). The copy
     * costs one pass over the weights per chain and is freed with {@code chain}. Training keeps the default layout,
     * so its arithmetic is unchanged; the chains' results are bit-identical either way. The copy's input gradient
     * is {@link FusedInputGradient}'s where that applies.
     */
    @Override
    public Energy forChain(NDManager chain) {
        parameters.requireGradients(false);
        boolean convolutions = config.architecture() != Architecture.TOY;
        return convolutions && parameters.onCpu() ? new EnergyNet(this, parameters.channelsLastCopy(chain)) : this;
    }

    @Override
    public NDArray inputGradient(NDArray x) {
        return fusesInputGradient(x) ? fused.of(x) : Energy.super.inputGradient(x);
    }

    /** Whether {@link #inputGradient} of a batch like {@code x} runs {@link FusedInputGradient} (tests). */
    boolean fusesInputGradient(NDArray x) {
        return fused != null && fused.appliesTo(x);
    }

    public NetConfig config() {
        return config;
    }

    public Parameters parameters() {
        return parameters;
    }

    @Override
    public void close() {
        parameters.close();
    }
}
