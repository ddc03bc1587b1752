package dev.shortrun.model.nets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import dev.shortrun.model.nets.Architecture.ConvLayer;
import dev.shortrun.model.util.Rng;

import java.util.List;

/**
 * f_theta(x): the negative energy. Samples climb it; training raises it on data and lowers it on samples. A plain
 * function of its {@link Parameters}, written as explicit convolutions so nothing hides state or names.
 */
public final class EnergyNet implements AutoCloseable {
    private final NetConfig config;
    private final List<ConvLayer> layers;
    private final Parameters parameters;

    private EnergyNet(NetConfig config, Parameters parameters) {
        this.config = config;
        this.layers = config.architecture().layers(config.channels(), config.nf());
        this.parameters = parameters;
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
    public NDArray forward(NDArray x) {
        if (config.architecture() == Architecture.NONLOCAL32) {
            return NonlocalNet.forward(parameters, x, config);
        }
        if (config.architecture() == Architecture.TOY) {
            return forwardPoints(x.getShape().dimension() == 2 ? x : x.reshape(x.getShape().get(0), -1));
        }
        NDArray h = x;
        for (int i = 0; i < layers.size(); i++) {
            ConvLayer l = layers.get(i);
            h = Conv2d.conv2d(h, parameters.get(weightName(i)), parameters.get(biasName(i)),
                    new Shape(l.stride(), l.stride()), new Shape(l.padding(), l.padding()), new Shape(1, 1), 1)
                    .singletonOrThrow();
            if (i < layers.size() - 1) {
                h = config.activation().apply(h, config.slope());
            }
        }
        return h.reshape(x.getShape().get(0));
    }

    /**
     * The toy net's 1x1 convolutions on a 1x1 "image" are exactly dense layers; computing them as such avoids the
     * convolution kernels' fixed cost, which dominates on 2D points. Weights keep their (out, in, 1, 1) shape.
     */
    private NDArray forwardPoints(NDArray points) {
        NDArray h = points;
        for (int i = 0; i < layers.size(); i++) {
            ConvLayer l = layers.get(i);
            NDArray w = parameters.get(weightName(i)).reshape(l.out(), l.in());
            h = Linear.linear(h, w, parameters.get(biasName(i))).singletonOrThrow();
            if (i < layers.size() - 1) {
                h = config.activation().apply(h, config.slope());
            }
        }
        return h.reshape(points.getShape().get(0));
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
