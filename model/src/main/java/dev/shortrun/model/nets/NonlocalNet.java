package dev.shortrun.model.nets;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import dev.shortrun.model.util.Rng;

/**
 * The Anatomy paper's NonlocalNet for 32x32 images, the energy network of its convergent MNIST and Oxford Flowers
 * runs:
 * <pre>
 *   conv3x3 C -> n_f, act, maxpool2          (32 -> 16)
 *   non-local block (n_f)
 *   conv3x3 n_f -> 2n_f, act, maxpool2       (16 -> 8)
 *   non-local block (2n_f)
 *   conv3x3 2n_f -> 4n_f, act, maxpool2      (8 -> 4)
 *   fc 16*4n_f -> 8n_f, act, fc 8n_f -> 1
 * </pre>
 * A non-local block (Wang et al. 2018, embedded-Gaussian form) on x of C channels, inter = max(1, C/2):
 * {@code z = x + W(softmax(theta(x)^T phi(x)) g(x))} with theta, phi, g and W 1x1 convolutions, phi and g followed
 * by a 2x2 max pool, the softmax over the pooled positions, and W (weight and bias) initialised to zero so each block
 * starts as the identity.
 * <p>
 * Parameter names follow the reference {@code nn.Module} (nets.py of the Anatomy code) so its {@code state_dict}
 * loads as is: {@code convs.0}, {@code convs.3.{g.0, W, theta, phi.0}}, {@code convs.4}, {@code convs.7.*},
 * {@code convs.8}, {@code fc.0}, {@code fc.2}, each with {@code .weight} and {@code .bias}, in that order.
 * <p>
 * Sign: in the Anatomy code this network's output is the (scaled) energy F, which chains descend; shortrun's f is
 * the negative energy, which chains climb. So f(x) = -network(x): the same weights define the same energy in both
 * codes, and a checkpoint moves between them unchanged.
 * <p>
 * It has no Hessian-vector product (reconstruction through the chain): its softmax attention and max pools are not a
 * plain stack, and no tangent rule is written for them.
 */
final class NonlocalNet implements Architecture {
    /** Module prefixes of the three convolutions and the two blocks inside {@code convs}. */
    private static final String[] CONVS = {"convs.0", "convs.4", "convs.8"};
    private static final String[] BLOCKS = {"convs.3", "convs.7"};
    private static final Shape POOL = new Shape(2, 2);

    @Override
    public String name() {
        return "nonlocal32";
    }

    @Override
    public String description() {
        return "Anatomy paper's NonlocalNet for 32x32 images (its convergent MNIST and Flowers runs)";
    }

    @Override
    public int imageSize() {
        return 32;
    }

    /** Adds freshly initialised weights in reference order (PyTorch's default init; W of each block zero). */
    @Override
    public void initialise(Parameters params, NetConfig config, Rng rng) {
        int nf = config.nf();
        conv(params, CONVS[0], config.channels(), nf, 3, rng);
        block(params, BLOCKS[0], nf, rng);
        conv(params, CONVS[1], nf, 2 * nf, 3, rng);
        block(params, BLOCKS[1], 2 * nf, rng);
        conv(params, CONVS[2], 2 * nf, 4 * nf, 3, rng);
        linear(params, "fc.0", 16 * 4 * nf, 8 * nf, rng);
        linear(params, "fc.2", 8 * nf, 1, rng);
    }

    private static void block(Parameters params, String prefix, int c, Rng rng) {
        int inter = inter(c);
        conv(params, prefix + ".g.0", c, inter, 1, rng);
        params.add(prefix + ".W.weight", params.manager().zeros(new Shape(c, inter, 1, 1)));
        params.add(prefix + ".W.bias", params.manager().zeros(new Shape(c)));
        conv(params, prefix + ".theta", c, inter, 1, rng);
        conv(params, prefix + ".phi.0", c, inter, 1, rng);
    }

    private static int inter(int channels) {
        return Math.max(1, channels / 2);
    }

    private static void conv(Parameters params, String prefix, int in, int out, int kernel, Rng rng) {
        double bound = 1.0 / Math.sqrt((double) in * kernel * kernel);
        params.addUniform(prefix + ".weight", new Shape(out, in, kernel, kernel), bound, rng);
        params.addUniform(prefix + ".bias", new Shape(out), bound, rng);
    }

    private static void linear(Parameters params, String prefix, int in, int out, Rng rng) {
        double bound = 1.0 / Math.sqrt(in);
        params.addUniform(prefix + ".weight", new Shape(out, in), bound, rng);
        params.addUniform(prefix + ".bias", new Shape(out), bound, rng);
    }

    /** f(x) = -network(x) for (N, C, 32, 32) input; output shape (N). */
    @Override
    public NDArray forward(Parameters p, NetConfig config, NDArray x) {
        NDArray h = x;
        for (int i = 0; i < CONVS.length; i++) {
            if (i > 0) {
                h = nonlocal(p, BLOCKS[i - 1], h);
            }
            h = conv(p, CONVS[i], h, 1);
            h = maxPool(config.activation().apply(h, config.slope()));
        }
        h = h.reshape(x.getShape().get(0), -1);
        h = config.activation().apply(Linear.linear(h, p.get("fc.0.weight"), p.get("fc.0.bias")).singletonOrThrow(),
                config.slope());
        return Linear.linear(h, p.get("fc.2.weight"), p.get("fc.2.bias")).singletonOrThrow()
                .reshape(x.getShape().get(0)).neg();
    }

    /** x + W(softmax(theta^T phi) g), phi and g max-pooled 2x2. */
    private static NDArray nonlocal(Parameters p, String prefix, NDArray x) {
        Shape s = x.getShape();
        long batch = s.get(0);
        long inter = inter(Math.toIntExact(s.get(1)));
        NDArray g = maxPool(conv(p, prefix + ".g.0", x, 0)).reshape(batch, inter, -1).transpose(0, 2, 1);
        NDArray theta = conv(p, prefix + ".theta", x, 0).reshape(batch, inter, -1).transpose(0, 2, 1);
        NDArray phi = maxPool(conv(p, prefix + ".phi.0", x, 0)).reshape(batch, inter, -1);
        NDArray attention = theta.matMul(phi).softmax(-1);   // (N, HW, HW/4)
        NDArray y = attention.matMul(g).transpose(0, 2, 1).reshape(batch, inter, s.get(2), s.get(3));
        return conv(p, prefix + ".W", y, 0).add(x);
    }

    private static NDArray maxPool(NDArray x) {
        return Pool.maxPool2d(x, POOL, POOL, new Shape(0, 0), false);
    }

    private static NDArray conv(Parameters p, String prefix, NDArray x, int padding) {
        return Conv2d.conv2d(x, p.get(prefix + ".weight"), p.get(prefix + ".bias"), new Shape(1, 1),
                new Shape(padding, padding), new Shape(1, 1), 1).singletonOrThrow();
    }

    /** Multiply-accumulates of one forward pass for one 32x32 example. */
    @Override
    public long macsPerExample(NetConfig config) {
        int nf = config.nf();
        long macs = 0;
        int size = 32;
        int in = config.channels();
        for (int i = 0; i < 3; i++) {
            int out = nf << i;
            if (i > 0) {
                macs += blockMacs(in, size);
            }
            macs += (long) size * size * out * in * 9;
            size /= 2;
            in = out;
        }
        return macs + 16L * 4 * nf * 8 * nf + 8L * nf;
    }

    /** theta, g, phi and W 1x1 convolutions plus the two attention products. */
    private static long blockMacs(int c, int size) {
        long positions = (long) size * size;
        long pooled = positions / 4;
        long inter = inter(c);
        return 3 * positions * c * inter + positions * inter * c + 2 * positions * pooled * inter;
    }

    @Override
    public String toString() {
        return "NONLOCAL32";
    }
}
