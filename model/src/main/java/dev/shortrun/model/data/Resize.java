package dev.shortrun.model.data;

/**
 * Separable bilinear resizing of CHW float images, reusable for any sizes.
 *
 * <p>{@link #bilinear} matches PyTorch {@code F.interpolate(mode='bilinear', align_corners=False,
 * antialias=False)}: the output pixel {@code o} samples the input at {@code (o + 0.5) * in/out - 0.5}
 * (clamped at 0, the upper neighbour clamped to the last pixel), so a large downscale skips pixels and
 * aliases. {@link #antialiased} matches {@code antialias=True}, which is also what PIL's BILINEAR (and so
 * torchvision {@code Resize} on PIL images) does: a triangle filter widened by the downscale factor and
 * renormalised at the borders. For upsampling both give the same result.
 *
 * <p>Tap tables are computed once per size pair, so one instance resizes many images cheaply.
 * Instances are immutable and thread-safe.
 */
public final class Resize {
    private final int inH, inW, outH, outW;
    private final Taps rows, cols;

    /** For each output index: the first input index and the weights of consecutive input indices. */
    private record Taps(int[] start, float[][] weights) {}

    private Resize(int inH, int inW, int outH, int outW, boolean antialias) {
        if (inH <= 0 || inW <= 0 || outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException(
                    "sizes must be > 0, got " + inH + "x" + inW + " -> " + outH + "x" + outW);
        }
        this.inH = inH;
        this.inW = inW;
        this.outH = outH;
        this.outW = outW;
        this.rows = antialias ? triangleTaps(inH, outH) : bilinearTaps(inH, outH);
        this.cols = antialias ? triangleTaps(inW, outW) : bilinearTaps(inW, outW);
    }

    /** PyTorch bilinear, align_corners=False, antialias=False. */
    public static Resize bilinear(int inH, int inW, int outH, int outW) {
        return new Resize(inH, inW, outH, outW, false);
    }

    /** PyTorch bilinear with antialias=True (= PIL BILINEAR); identical to {@link #bilinear} when upsampling. */
    public static Resize antialiased(int inH, int inW, int outH, int outW) {
        return new Resize(inH, inW, outH, outW, true);
    }

    /** Resizes one CHW image; returns a new array of {@code channels*outH*outW}. */
    public float[] apply(float[] src, int channels) {
        float[] dst = new float[channels * outH * outW];
        apply(src, 0, dst, 0, channels);
        return dst;
    }

    /** Resizes the CHW image at {@code src[srcOff..]} into {@code dst[dstOff..]}. */
    public void apply(float[] src, int srcOff, float[] dst, int dstOff, int channels) {
        float[] tmp = new float[inH * outW]; // one channel after the horizontal pass
        for (int c = 0; c < channels; c++) {
            int s = srcOff + c * inH * inW;
            for (int y = 0; y < inH; y++) {
                for (int x = 0; x < outW; x++) {
                    tmp[y * outW + x] = dot(src, s + y * inW + cols.start[x], 1, cols.weights[x]);
                }
            }
            int d = dstOff + c * outH * outW;
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    dst[d + y * outW + x] = dot(tmp, rows.start[y] * outW + x, outW, rows.weights[y]);
                }
            }
        }
    }

    private static float dot(float[] a, int offset, int stride, float[] w) {
        float sum = 0f;
        for (int k = 0; k < w.length; k++) sum += w[k] * a[offset + k * stride];
        return sum;
    }

    private static Taps bilinearTaps(int in, int out) {
        int[] start = new int[out];
        float[][] weights = new float[out][];
        float scale = (float) in / out; // float like PyTorch's CPU kernel for float tensors
        for (int o = 0; o < out; o++) {
            float src = Math.max(scale * (o + 0.5f) - 0.5f, 0f);
            int i0 = Math.min((int) src, in - 1);
            float frac = src - i0;
            start[o] = i0;
            // At the last pixel both neighbours are the same pixel, so the weights collapse to 1.
            weights[o] = i0 < in - 1 ? new float[] {1f - frac, frac} : new float[] {1f};
        }
        return new Taps(start, weights);
    }

    private static Taps triangleTaps(int in, int out) {
        int[] start = new int[out];
        float[][] weights = new float[out][];
        double scale = (double) in / out;
        double widen = Math.max(scale, 1.0); // downscaling widens the filter to average all covered pixels
        double support = widen; // the bilinear (triangle) kernel has support 1
        for (int o = 0; o < out; o++) {
            double center = (o + 0.5) * scale;
            int lo = Math.max((int) (center - support + 0.5), 0);
            int hi = Math.min((int) (center + support + 0.5), in);
            double[] w = new double[hi - lo];
            double total = 0;
            for (int i = lo; i < hi; i++) {
                double t = Math.abs((i - center + 0.5) / widen);
                w[i - lo] = t < 1 ? 1 - t : 0;
                total += w[i - lo];
            }
            float[] norm = new float[w.length];
            for (int k = 0; k < w.length; k++) norm[k] = (float) (w[k] / total);
            start[o] = lo;
            weights[o] = norm;
        }
        return new Taps(start, weights);
    }
}
