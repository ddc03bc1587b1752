package dev.shortrun.model.data;

import java.util.stream.IntStream;

/** Byte images to the [-1, 1] float convention of {@link ImageDataset}. */
final class Pixels {
    private Pixels() {}

    /** (byte / 255) * 2 - 1, i.e. ToTensor then Normalize(0.5, 0.5). */
    static float symmetric(float unit) {
        return unit * 2f - 1f;
    }

    /**
     * Decodes {@code count} CHW byte images, image {@code i} starting at {@code offset + i * stride}, to one
     * NCHW float array. When {@code resize} is not null it is applied to the [0, 1] image before scaling
     * to [-1, 1], as torchvision does (resize on the image, normalise last). Parallel over images.
     */
    static float[] decode(byte[] bytes, int offset, int stride, int count, int channels, int inH, int inW,
                          Resize resize, int outH, int outW) {
        int inDim = channels * inH * inW;
        int outDim = channels * outH * outW;
        float[] out = new float[count * outDim];
        IntStream.range(0, count).parallel().forEach(i -> {
            float[] unit = new float[inDim];
            int base = offset + i * stride;
            for (int k = 0; k < inDim; k++) unit[k] = (bytes[base + k] & 0xff) / 255f;
            if (resize != null) {
                resize.apply(unit, 0, out, i * outDim, channels);
            } else {
                System.arraycopy(unit, 0, out, i * outDim, outDim);
            }
            for (int k = i * outDim; k < (i + 1) * outDim; k++) out[k] = symmetric(out[k]);
        });
        return out;
    }
}
