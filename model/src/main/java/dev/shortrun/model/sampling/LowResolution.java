package dev.shortrun.model.sampling;

import ai.djl.ndarray.NDArray;

/**
 * The super-resolution p0 (short-run paper long version, Section 5.4, Figure 8): an image average-pooled to
 * size x size and brought back to full size by nearest-neighbour upsampling, so the chain starts from the
 * low-resolution image and the K steps add the detail.
 */
public final class LowResolution {
    private LowResolution() {
    }

    /** Average pooling of (N, C, H, W) images to (N, C, size, size); H and W must be multiples of size. */
    public static NDArray downsample(NDArray images, int size) {
        long n = images.getShape().get(0);
        long c = images.getShape().get(1);
        int factor = factor(images, size);
        // one axis at a time: DJL's PyTorch mean takes one
        return images.reshape(n, c, size, factor, size, factor).mean(new int[] {5}).mean(new int[] {3});
    }

    /** Nearest-neighbour upsampling of (N, C, h, w) by an integer factor. */
    public static NDArray upsample(NDArray low, int factor) {
        return low.repeat(2, factor).repeat(3, factor);
    }

    /** The low-resolution start of each image: upsample(downsample(x, size)), full size again. */
    public static NDArray start(NDArray images, int size) {
        return upsample(downsample(images, size), factor(images, size));
    }

    private static int factor(NDArray images, int size) {
        if (images.getShape().dimension() != 4) {
            throw new IllegalArgumentException("low-resolution init needs (N, C, H, W) images, got "
                    + images.getShape());
        }
        long h = images.getShape().get(2);
        long w = images.getShape().get(3);
        if (size < 1 || h != w || h % size != 0) {
            throw new IllegalArgumentException("low resolution " + size + "x" + size + " must divide the image size "
                    + h + "x" + w);
        }
        return (int) (h / size);
    }
}
