package dev.shortrun.model.torch;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

import java.util.stream.IntStream;

/**
 * Channels-last copies of image batches for the Langevin chains, and of the convolution weights a chain climbs
 * ({@code EnergyNet.forChain}; the trained weights themselves stay in the default layout, so training's arithmetic
 * matches the seed code's). A logical (N, C, H, W) tensor whose memory is
 * laid out (N, H, W, C) is what PyTorch calls {@code channels_last}; libtorch's oneDNN convolutions then read and
 * write it directly, while the default layout makes every convolution and every input-gradient reorder its
 * activations to a blocked format and back (about a fifth of a CPU Langevin step). Measured in one JVM, turns
 * interleaved, seed net, batch 64, 3x32x32: a step 60 -> 46 ms (n_f 32, 2 threads), 107 -> 89 ms (n_f 32, 1 thread),
 * 159 -> 141 ms (n_f 64, 2 threads). Only strides change: values, shapes and every read (indexing,
 * {@code toFloatArray}, {@code toByteBuffer}) are those of the default layout.
 *
 * <p>CPU only: on CUDA cuDNN chooses its own algorithms per layout, and that choice was not measured.
 */
public final class ChannelsLast {
    private ChannelsLast() {
    }

    /**
     * A copy of {@code x} in channels-last memory when it is a CPU image batch (4 dimensions); any other array
     * (2D points, GPU tensors) is duplicated as it is. The copy belongs to {@code x}'s manager.
     */
    public static NDArray copyOf(NDArray x) {
        if (!appliesTo(x)) {
            return x.duplicate();
        }
        Shape s = x.getShape();
        // Flattening the permuted view copies (in (N, H, W, C) order) only when the two layouts differ; with one
        // channel, a 1x1 image or an input already channels-last it is a view, so flatten a private duplicate: the
        // result must never alias x (its memory may be a Java buffer freed with x).
        try (NDArray own = x.duplicate();
             NDArray nhwcView = own.transpose(0, 2, 3, 1);
             NDArray packed = nhwcView.reshape(-1);
             NDArray nhwc = packed.reshape(s.get(0), s.get(2), s.get(3), s.get(1))) {
            return nhwc.transpose(0, 3, 1, 2); // a view: it keeps the storage alive after the handles above close
        }
    }

    /**
     * {@code x} in the default contiguous layout: a copy when it is channels-last, a view of {@code x}'s memory when
     * it already is contiguous. The result belongs to {@code x}'s manager.
     */
    public static NDArray toDefaultLayout(NDArray x) {
        try (NDArray packed = x.reshape(-1)) { // copies in logical (N, C, H, W) order unless already contiguous
            return packed.reshape(x.getShape());
        }
    }

    /**
     * The axes of one example, 1..d-1: reducing over them per example needs no flattening, which would copy a
     * channels-last array. Empty for a 1D array (where a reduction over no axis would mean over all).
     */
    public static int[] exampleAxes(NDArray x) {
        return IntStream.range(1, x.getShape().dimension()).toArray();
    }

    /** Whether {@link #copyOf} changes the layout: a 4-dimensional array on the CPU. */
    public static boolean appliesTo(NDArray x) {
        return x.getShape().dimension() == 4 && Device.Type.CPU.equals(x.getDevice().getDeviceType());
    }
}
