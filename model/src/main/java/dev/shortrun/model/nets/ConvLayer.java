package dev.shortrun.model.nets;

/**
 * One convolution of a plain stack: weight (out, in, k, k) and bias (out).
 *
 * @param in      input channels
 * @param out     output channels
 * @param kernel  side k of the square kernel
 * @param stride  stride in both directions
 * @param padding zero padding on every side
 */
public record ConvLayer(int in, int out, int kernel, int stride, int padding) {
    /** Inputs to one output unit: PyTorch's fan_in for its default initialisation. */
    public long fanIn() {
        return (long) in * kernel * kernel;
    }

    /** Output side length for an input of side {@code inputSize}. */
    public int outputSize(int inputSize) {
        return (inputSize + 2 * padding - kernel) / stride + 1;
    }
}
