package dev.shortrun.model.landscape;

import dev.shortrun.model.longrun.LongRunSettings;

/**
 * Every setting of an energy landscape mapping (Anatomy paper, Sec. 4.4 and Figure 9, after Hill, Nijkamp and Zhu
 * 2019, "Building a telescope to look into high-dimensional image spaces"). Energies are the run's own
 * U = -f/T, T the training chain's temperature ({@link dev.shortrun.model.sampling.Temperature}); distances are L2 in
 * the model's input space (pixels in [-1, 1], or 2D points). Key names are those of the {@code landscape.*} spec
 * keys and the {@code landscape} command's options; {@link #forToys()} and {@link #forImages()} hold the defaults.
 *
 * <p>Attraction-diffusion (AD) chains sample the magnetized density exp(-(U(x) + alpha ||x - x*||) / tau) with at
 * most a fraction kappa of the training chain's step: {@code x <- x - kappa (eps^2/2) grad(U + alpha ||x - x*||) +
 * eps sqrt(kappa tau) Z}, eps the training noise. A chain arrives when it comes within {@code arrival} of its target
 * x*, and gives up after {@code patience} steps without coming closer than before (the improvement limit of the AD
 * papers) or after {@code budget} steps.
 *
 * @param samples              {@code landscape.samples}: metastable samples mapped, >= 2
 * @param chainSteps           {@code landscape.chain_steps}: long-run Langevin steps at the training temperature
 *                             that make them metastable, >= 0
 * @param from                 {@code landscape.from}: long-run chains start from the run's p0 noise, its data, or
 *                             half from each
 * @param quenchSteps          {@code landscape.quench_steps}: noise-free steps after the long run (gradient descent
 *                             on U with the training step), so each sample sits at a local minimum and AD can reach
 *                             it exactly; >= 0
 * @param magnetization        {@code landscape.magnetization}: alpha of the grouping chains, in units of U per unit
 *                             distance, > 0. Too small: samples of one basin fail to meet (too many basins); too
 *                             large: chains are dragged over real barriers (too few)
 * @param barrierMagnetization {@code landscape.barrier_magnetization}: alpha of the chains between basin minima that
 *                             measure barriers; > 0, normally well above {@code magnetization} (at that one the
 *                             chains between different basins fail by construction)
 * @param barrierRounds        {@code landscape.barrier_rounds}: pairs of basins no barrier chain joined are tried
 *                             again at 8 times the magnetization, up to this many rounds in all, >= 1 (a learned
 *                             energy's barriers can be thousands of U units high: the non-convergent models')
 * @param temperature          {@code landscape.temperature}: tau, the AD chains' temperature as a fraction of the
 *                             training temperature, in (0, 1]; lower sees lower barriers and overshoots them less
 * @param stepScale            {@code landscape.step_scale}: kappa, the AD chains' step as a fraction of the training
 *                             step, in (0, 1]; a chain's highest U is taken at its states, so a step that jumps over
 *                             a saddle's crest misses part of the barrier (strong magnetizations need small steps)
 * @param budget               {@code landscape.budget}: most steps of one AD chain, >= 1
 * @param patience             {@code landscape.patience}: steps without a new closest approach before an AD chain
 *                             gives up, >= 1 (at most {@code budget})
 * @param arrival              {@code landscape.arrival}: distance to the target that counts as arrived, > 0
 * @param trials               {@code landscape.trials}: AD chains per direction and pair (a pair is joined when one
 *                             arrives; a barrier is the lowest over the arrived ones), >= 1
 * @param neighbours           {@code landscape.neighbours}: a sample is tried against the basins with the nearest
 *                             {@code neighbours} minima, and barriers are measured between each basin and its nearest
 *                             {@code neighbours} minima (plus the pairs of a shortest tree through all minima, so
 *                             every basin can join the disconnectivity tree), >= 1
 * @param batch                {@code landscape.batch}: most chains advanced together, >= 1
 * @param shown                {@code landscape.shown}: member images per basin column in the Figure 9 picture, >= 1
 * @param minDepth             {@code landscape.min_depth}: a basin whose barrier to a deeper basin lies less than
 *                             this above its own minimum (U units) is merged into that basin: it is a dent in the
 *                             deeper basin's slope (persistence); applied alike to the AD map and to the toys' exact
 *                             grid reference, so both are compared at the same resolution; >= 0
 * @param seed                 {@code landscape.seed}: chain starts and every chain's noise
 */
public record LandscapeSettings(int samples, int chainSteps, LongRunSettings.Starts from, int quenchSteps,
                                double magnetization, double barrierMagnetization, int barrierRounds,
                                double temperature,
                                double stepScale, int budget,
                                int patience, double arrival, int trials, int neighbours, int batch, int shown,
                                double minDepth, long seed) {

    public LandscapeSettings {
        atLeast("samples", samples, 2);
        atLeast("chain_steps", chainSteps, 0);
        if (from == null) {
            throw new IllegalArgumentException("landscape.from is required (noise, data or both)");
        }
        atLeast("quench_steps", quenchSteps, 0);
        positive("magnetization", magnetization);
        positive("barrier_magnetization", barrierMagnetization);
        atLeast("barrier_rounds", barrierRounds, 1);
        positive("temperature", temperature);
        if (temperature > 1) {
            throw new IllegalArgumentException("landscape.temperature is a fraction of the training temperature, in "
                    + "(0, 1]; got " + temperature);
        }
        positive("step_scale", stepScale);
        if (stepScale > 1) {
            throw new IllegalArgumentException("landscape.step_scale is a fraction of the training step, in (0, 1]; "
                    + "got " + stepScale);
        }
        atLeast("budget", budget, 1);
        atLeast("patience", patience, 1);
        positive("arrival", arrival);
        atLeast("trials", trials, 1);
        atLeast("neighbours", neighbours, 1);
        atLeast("batch", batch, 1);
        atLeast("shown", shown, 1);
        if (!(minDepth >= 0) || !Double.isFinite(minDepth)) {
            throw new IllegalArgumentException("landscape.min_depth must be a number >= 0, got " + minDepth);
        }
    }

    /**
     * 2D toys (gmm, rings): 200 samples, 2,000 long-run steps, 500 quench steps; AD at tau 0.1 and a fifth of the
     * training step, alpha 1 (grouping) and 20 (barriers), arrival 0.05, 4 trials, 1,000 steps, patience 100. Tuned on
     * the Anatomy toys: see the README section "Energy landscapes" for the basins and barrier errors these give against
     * the exact grid answer. The {@code landscape} step declares its settings' defaults from these values.
     */
    public static LandscapeSettings forToys() {
        return new LandscapeSettings(200, 2_000, LongRunSettings.Starts.BOTH, 500, 1.0, 20.0, 5, 0.1, 0.2, 1_000,
                100, 0.05, 4, 3, 4_096, 8, 1.0, 1);
    }

    /**
     * Images: 64 samples, 1,000 long-run steps (the paper's long runs are 100,000: CPU-sized), 200 quench steps; AD
     * at tau 0.1 and the training step, alpha 50 and 500, arrival 1.0 (of a 32x32 image's L2 norm of up to 32), 2
     * trials, 1,000 steps, patience 100.
     */
    public static LandscapeSettings forImages() {
        return new LandscapeSettings(64, 1_000, LongRunSettings.Starts.BOTH, 200, 50.0, 500.0, 5, 0.1, 1.0, 1_000,
                100, 1.0, 2, 3, 64, 6, 1.0, 1);
    }

    private static void atLeast(String key, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException("landscape." + key + " must be >= " + min + ", got " + value);
        }
    }

    private static void positive(String key, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException("landscape." + key + " must be a positive number, got " + value);
        }
    }
}
