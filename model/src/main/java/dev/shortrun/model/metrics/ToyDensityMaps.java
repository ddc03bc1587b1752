package dev.shortrun.model.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.data.DatasetFormats;
import dev.shortrun.model.nets.EnergyNet;
import dev.shortrun.model.torch.Autograd;

/**
 * The three densities of the Anatomy paper's Figure 6 on one grid, as masses summing to 1: the toy's true density,
 * the density the energy defines, and a KDE of short-run samples; with KL(true || learned) and KL(true || KDE).
 *
 * @param energyScale c in the learned density exp(c f) = exp(-U): our net returns f = -F, the negative of the
 *                    reference code's energy output F, and Langevin climbs it, {@code x <- x + s grad f + n Z};
 *                    that chain simulates the paper's exp(-U) with U = -c f, c = 2 s / eps^2 (the energy rescaled
 *                    by 2/eps^2 of Figure 6; see {@code LearnerConfig.energyScale})
 * @param kdeFromBank true when the KDE's chains started from a persistent bank, false when from p0 noise
 */
public record ToyDensityMaps(String toy, DensityGrid grid, double[] truth, double[] learned, double[] kde,
                             double klTrueLearned, double klTrueKde, int samples, double kdeFactor,
                             double energyScale, boolean kdeFromBank) {

    /**
     * Computes the three maps on the paper's grid for {@code toy}.
     *
     * @param samples short-run samples as interleaved x, y (the paper uses 10,000)
     */
    public static ToyDensityMaps compute(String toy, EnergyNet net, double energyScale, float[] samples,
                                         boolean kdeFromBank, NDManager manager) {
        DensityGrid grid = DensityGrid.forToy(toy);
        double[] truth = grid.truth(toy);
        double[] learned = learned(net, grid, energyScale, manager);
        double factor = DatasetFormats.toy(toy).kdeFactor();
        double[] kde = DensityGrid.normalise(new GaussianKde(samples, factor).evaluate(grid));
        return new ToyDensityMaps(toy, grid, truth, learned, kde, DensityGrid.kl(truth, learned),
                DensityGrid.kl(truth, kde), samples.length / 2, factor, energyScale, kdeFromBank);
    }

    /** KL(true || learned) alone, on the paper's grid for {@code toy}: no samples needed. */
    public static double klTrueLearned(String toy, EnergyNet net, double energyScale, NDManager manager) {
        DensityGrid grid = DensityGrid.forToy(toy);
        return DensityGrid.kl(grid.truth(toy), learned(net, grid, energyScale, manager));
    }

    /** The learned density exp(scale * f) as cell masses on {@code grid}. */
    private static double[] learned(EnergyNet net, DensityGrid grid, double scale, NDManager manager) {
        return DensityGrid.fromLogDensity(logDensity(net, grid, scale, manager));
    }

    /**
     * {@code scale * f(x)} at every grid point in one forward pass. Nothing requires a gradient, so no graph is
     * built; running it in grad mode anyway avoids libtorch's deprecation warning for DJL's inference guard.
     */
    public static double[] logDensity(EnergyNet net, DensityGrid grid, double scale, NDManager manager) {
        net.parameters().requireGradients(false);
        try (NDManager scope = manager.newSubManager()) {
            NDArray points = scope.create(grid.points(), new Shape(grid.cells(), 2));
            float[] f = Autograd.recording(() -> net.forward(points).toFloatArray());
            double[] out = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                out[i] = scale * f[i];
            }
            return out;
        }
    }
}
