package dev.shortrun.model.nets;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The energy networks of the short-run paper (Tables 6-8: 32x32, 64x64, 128x128; CONV32 is also the Anatomy paper's
 * VanillaNet) and the Anatomy paper's ToyNet for 2D points: plain stacks of convolutions with an activation after
 * every one but the last, laid out like the reference {@code nn.Sequential} so parameter names are
 * {@code f.0, f.2, ...}. NONLOCAL32 is the Anatomy paper's NonlocalNet ({@link NonlocalNet}), not a plain stack.
 */
public enum Architecture {
    CONV32(32),
    CONV64(64),
    CONV128(128),
    /** 1x1 convolutions over a 2-channel 1x1 "image": 2 -> n_f -> 2n_f -> 2n_f -> 2n_f -> 1. */
    TOY(1),
    /** The Anatomy paper's NonlocalNet for 32x32 images (convergent MNIST and Flowers). */
    NONLOCAL32(32);

    private final int imageSize;

    Architecture(int imageSize) {
        this.imageSize = imageSize;
    }

    /** Spatial size of the input (1 for the 2D toy). */
    public int imageSize() {
        return imageSize;
    }

    /** The image architecture for a given side length. */
    public static Architecture forImageSize(int size) {
        for (Architecture a : values()) {
            if (a != TOY && a != NONLOCAL32 && a.imageSize == size) {
                return a;
            }
        }
        throw new IllegalArgumentException("no energy network for image size " + size + " (allowed: 32, 64, 128)");
    }

    /** Names accepted by {@link #parse}. */
    public static final String NAMES = "conv32, conv64, conv128, toy, nonlocal32";

    public static Architecture parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown architecture '" + text + "' (allowed: " + NAMES + ")");
        }
    }

    /** The convolution layers, first to last (none for NONLOCAL32, which is not a plain stack). */
    List<ConvLayer> layers(int channels, int nf) {
        List<ConvLayer> layers = new ArrayList<>();
        if (this == NONLOCAL32) {
            return layers;
        }
        if (this == TOY) {
            layers.add(new ConvLayer(channels, nf, 1, 1, 0));
            layers.add(new ConvLayer(nf, 2 * nf, 1, 1, 0));
            layers.add(new ConvLayer(2 * nf, 2 * nf, 1, 1, 0));
            layers.add(new ConvLayer(2 * nf, 2 * nf, 1, 1, 0));
            layers.add(new ConvLayer(2 * nf, 1, 1, 1, 0));
            return layers;
        }
        layers.add(new ConvLayer(channels, nf, 3, 1, 1));
        layers.add(new ConvLayer(nf, 2 * nf, 4, 2, 1));
        layers.add(new ConvLayer(2 * nf, 4 * nf, 4, 2, 1));
        layers.add(new ConvLayer(4 * nf, 8 * nf, 4, 2, 1));
        for (int size = 32; size < imageSize; size *= 2) {
            layers.add(new ConvLayer(8 * nf, 8 * nf, 4, 2, 1)); // one extra halving per doubling of the image
        }
        layers.add(new ConvLayer(8 * nf, 1, 4, 1, 0));
        return layers;
    }

    /** One convolution: weight (out, in, k, k) and bias (out). */
    record ConvLayer(int in, int out, int kernel, int stride, int padding) {
        long fanIn() {
            return (long) in * kernel * kernel;
        }

        /** Multiply-adds for one example at the given input side length; returns the output side length too. */
        int outputSize(int inputSize) {
            return (inputSize + 2 * padding - kernel) / stride + 1;
        }
    }
}
