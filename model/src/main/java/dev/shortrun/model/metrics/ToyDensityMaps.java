package dev.shortrun.model.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.nets.EnergyNet;
import dev.shortrun.model.torch.Autograd;

/**
 * The three densities of the Anatomy paper's Figure 6 on one grid, as masses summing to 1: the toy's true density,
 * the density the energy defines, and a KDE of short-run samples; with KL(true || learned) and KL(true || KDE).
 *
 * @param logDensityPerF the learned log-density per unit of f (see {@link #logDensityPerF})
 */
public record ToyDensityMaps(String toy, DensityGrid grid, double[] truth, double[] learned, double[] kde,
                             double klTrueLearned, double klTrueKde, int samples, double kdeFactor,
                             double logDensityPerF) {

    /**
     * The learned density's exponent per unit of our f. Our net returns f = -F, the negative of the reference
     * code's energy output F, and Langevin climbs it: {@code x <- x + s grad f + n Z}. That chain's stationary
     * density is exp(2 s f / n^2), i.e. the paper's exp(-U) with U = F * 2/eps^2 when s = 1 and n = eps (the
     * scaled energy of Appendix A). {@code noiseStd} must be the nominal eps (the noise when noise is on).
     */
    public static double logDensityPerF(double stepSize, double noiseStd) {
        if (!(noiseStd > 0)) {
            throw new IllegalArgumentException("the learned density exp(2 s f / eps^2) needs Langevin noise eps > 0, "
                    + "got " + noiseStd);
        }
        return 2 * stepSize / (noiseStd * noiseStd);
    }

    /**
     * Computes the three maps on the paper's grid for {@code toy}.
     *
     * @param samples short-run samples as interleaved x, y (the paper uses 10,000)
     */
    public static ToyDensityMaps compute(String toy, EnergyNet net, double logDensityPerF, float[] samples,
                                         NDManager manager) {
        DensityGrid grid = DensityGrid.forToy(toy);
        double[] truth = grid.truth(toy);
        double[] learned = DensityGrid.fromLogDensity(logDensity(net, grid, logDensityPerF, manager));
        double factor = GaussianKde.paperFactor(toy);
        double[] kde = DensityGrid.normalise(new GaussianKde(samples, factor).evaluate(grid));
        return new ToyDensityMaps(toy, grid, truth, learned, kde, DensityGrid.kl(truth, learned),
                DensityGrid.kl(truth, kde), samples.length / 2, factor, logDensityPerF);
    }

    /** {@code scale * f(x)} at every grid point, in one forward pass without any gradient. */
    static double[] logDensity(EnergyNet net, DensityGrid grid, double scale, NDManager manager) {
        net.parameters().requireGradients(false);
        Autograd.stopRecording();
        try (NDManager scope = manager.newSubManager()) {
            NDArray points = scope.create(grid.points(), new Shape(grid.cells(), 2));
            float[] f = net.forward(points).toFloatArray();
            double[] out = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                out[i] = scale * f[i];
            }
            return out;
        }
    }
}
