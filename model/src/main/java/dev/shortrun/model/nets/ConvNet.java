package dev.shortrun.model.nets;

import java.util.ArrayList;
import java.util.List;

/**
 * The short-run paper's energy networks for 32x32, 64x64 and 128x128 images (Tables 6-8; conv32 is also the
 * Anatomy paper's VanillaNet): a 3x3 convolution to n_f channels, three 4x4 stride-2 convolutions doubling the
 * channels up to 8 n_f, one more 4x4 stride-2 convolution per doubling of the image beyond 32, and a 4x4
 * convolution of the 4x4 map to one output.
 */
final class ConvNet extends PlainStack {
    private final int imageSize;

    ConvNet(int imageSize) {
        this.imageSize = imageSize;
    }

    @Override
    public String name() {
        return "conv" + imageSize;
    }

    @Override
    public String description() {
        return "short-run paper's ConvNet for " + imageSize + "x" + imageSize + " images"
                + (imageSize == 32 ? " (also the Anatomy VanillaNet)" : "");
    }

    @Override
    public int imageSize() {
        return imageSize;
    }

    @Override
    List<ConvLayer> layers(NetConfig config) {
        int nf = config.nf();
        List<ConvLayer> layers = new ArrayList<>();
        layers.add(new ConvLayer(config.channels(), nf, 3, 1, 1));
        layers.add(new ConvLayer(nf, 2 * nf, 4, 2, 1));
        layers.add(new ConvLayer(2 * nf, 4 * nf, 4, 2, 1));
        layers.add(new ConvLayer(4 * nf, 8 * nf, 4, 2, 1));
        for (int size = 32; size < imageSize; size *= 2) {
            layers.add(new ConvLayer(8 * nf, 8 * nf, 4, 2, 1)); // one extra halving per doubling of the image
        }
        layers.add(new ConvLayer(8 * nf, 1, 4, 1, 0));
        return layers;
    }

    @Override
    public List<ConvLayer> fusableLayers(NetConfig config) {
        return layers(config);
    }
}
