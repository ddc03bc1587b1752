package dev.shortrun.model.nets;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.core.Linear;

import java.util.List;

/**
 * The Anatomy paper's ToyNet for 2D points: 1x1 convolutions over a 2-channel 1x1 "image",
 * 2 -> n_f -> 2n_f -> 2n_f -> 2n_f -> 1, as the reference {@code nn.Sequential} (parameters {@code f.0, f.2, ...}).
 */
final class ToyNet extends PlainStack {
    @Override
    public String name() {
        return "toy";
    }

    @Override
    public String description() {
        return "Anatomy paper's ToyNet for 2D points (the 2D toys' network)";
    }

    @Override
    public int imageSize() {
        return 1;
    }

    @Override
    public boolean takesPoints() {
        return true;
    }

    @Override
    public void checkChannels(int channels) {
        if (channels != 2) {
            throw new IllegalArgumentException("the toy network takes 2 channels (x, y), got " + channels);
        }
    }

    @Override
    List<ConvLayer> layers(NetConfig config) {
        int nf = config.nf();
        return List.of(new ConvLayer(config.channels(), nf, 1, 1, 0), new ConvLayer(nf, 2 * nf, 1, 1, 0),
                new ConvLayer(2 * nf, 2 * nf, 1, 1, 0), new ConvLayer(2 * nf, 2 * nf, 1, 1, 0),
                new ConvLayer(2 * nf, 1, 1, 1, 0));
    }

    /** The net reads (N, 2) points; any other shape of a toy batch is flattened to that. */
    @Override
    NDArray input(NDArray x) {
        return x.getShape().dimension() != 2 ? x.reshape(x.getShape().get(0), -1) : x;
    }

    /**
     * 1x1 convolutions on a 1x1 "image" are exactly dense layers; computing them as such avoids the convolution
     * kernels' fixed cost, which dominates on 2D points. Weights keep their (out, in, 1, 1) shape.
     */
    @Override
    NDArray layer(Parameters params, ConvLayer l, int i, NDArray h, boolean bias) {
        NDArray dense = params.get(weightName(i)).reshape(l.out(), l.in());
        dense.attach(h.getManager()); // freed with the batch, not kept by the weights' run-long manager
        return Linear.linear(h, dense, bias ? params.get(biasName(i)) : null).singletonOrThrow();
    }

    /** Dense layers on points gain nothing from a channels-last copy. */
    @Override
    public boolean channelsLastChains() {
        return false;
    }
}
