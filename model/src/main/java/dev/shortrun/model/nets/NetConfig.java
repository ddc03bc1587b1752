package dev.shortrun.model.nets;

import dev.shortrun.model.util.Faults;

/**
 * Everything that fixes an energy network's shape and function.
 *
 * @param architecture which network ({@link EnergyNetworks})
 * @param channels     input channels (1 grey, 3 RGB, 2 for the 2D toy)
 * @param nf           base width n_f
 * @param activation   the non-linearity
 * @param slope        LeakyReLU negative slope (0.2 short-run seed code, 0.05 Anatomy); ignored by smooth activations
 */
public record NetConfig(Architecture architecture, int channels, int nf, Activation activation, double slope) {
    public NetConfig {
        if (architecture == null || activation == null) {
            throw new IllegalArgumentException("architecture and activation are required");
        }
        if (channels < 1) {
            throw new IllegalArgumentException("channels must be >= 1, got " + channels);
        }
        architecture.checkChannels(channels);
        if (nf < 1) {
            throw new IllegalArgumentException("n_f must be >= 1, got " + nf);
        }
        if (!(slope >= 0 && slope < 1)) {
            throw new IllegalArgumentException("LeakyReLU slope must be in [0, 1), got " + slope);
        }
        slope = Faults.slope(slope); // the regression gate's measured "broken build"; off unless asked for
    }

    /** Default width: the seed code's n_f 64 for images, the Anatomy ToyNet's 32 for 2D toys. */
    public static int defaultNf(boolean toy) {
        return toy ? 32 : 64;
    }

    /** Default LeakyReLU slope: the seed code's 0.2 for images, the Anatomy paper's 0.05 for 2D toys. */
    public static double defaultSlope(boolean toy) {
        return toy ? 0.05 : 0.2;
    }

    /** The seed code's image net: LeakyReLU 0.2. */
    public static NetConfig shortRun(int imageSize, int channels, int nf) {
        return new NetConfig(EnergyNetworks.defaultFor(false, imageSize), channels, nf, Activation.LEAKY_RELU,
                defaultSlope(false));
    }

    /** The Anatomy paper's ToyNet: n_f 32, LeakyReLU 0.05. */
    public static NetConfig toy() {
        return new NetConfig(Architecture.TOY, 2, defaultNf(true), Activation.LEAKY_RELU, defaultSlope(true));
    }

    public int imageSize() {
        return architecture.imageSize();
    }
}
