package dev.shortrun.model.learning;

import dev.shortrun.model.util.Faults;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.shortrun.model.data.PositiveSource;
import dev.shortrun.model.nets.EnergyNet;
import dev.shortrun.model.nets.Parameters;
import dev.shortrun.model.sampling.ChainStarts;
import dev.shortrun.model.sampling.LangevinSampler;
import dev.shortrun.model.torch.Autograd;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.util.Rng;

/**
 * Maximum-likelihood learning with short-run MCMC (Algorithm 1 of the short-run paper): per iteration draw m noisy
 * examples x+ and m short-run samples x- from p0, then ascend {@code mean f(x+) - mean f(x-)}.
 * All randomness comes from one {@link Rng} whose state, with the weights and optimiser state, fully determines
 * the rest of the run.
 */
public final class Learner implements AutoCloseable {
    private final EnergyNet net;
    private final LangevinSampler sampler;
    private final LearnerConfig config;
    private final PositiveSource source;
    private final Optimizer optimizer;
    private final Rng rng;
    private final RandomTensors random;
    private final NDManager manager;
    private final ChainStarts starts;
    private long iteration;
    private NDArray lastSamples;

    public Learner(EnergyNet net, LangevinSampler sampler, LearnerConfig config, PositiveSource source, Rng rng) {
        this.net = net;
        this.sampler = sampler;
        this.config = config;
        this.source = source;
        this.rng = rng;
        this.random = new RandomTensors(rng);
        this.manager = net.parameters().manager().newSubManager();
        this.optimizer = config.optimizer().create(net.parameters());
        this.starts = new ChainStarts(config.init(), source, config.batch());
    }

    /** Runs one iteration: sample, measure, and (unless it diverged) update the weights. */
    public IterationStats step() {
        long started = System.nanoTime();
        double sigma = Faults.dataNoise(config.sigma().at(iteration)); // as configured unless a fault is measured
        double lr = config.lr().at(iteration);
        int m = config.batch();
        try (NDManager scope = manager.newSubManager()) {
            NDArray data = source.batch(scope, m, rng);
            NDArray positive = sigma > 0 ? data.add(random.normal(scope, data.getShape()).muli((float) sigma)) : data;
            int k = sampler.drawSteps(rng);
            NDArray start = starts.start(scope, m, sigma, rng, random);
            LangevinSampler.Chain chain = sampler.run(net, start, k, random, true, null);

            double[] f = lossGradients(positive, chain.samples());
            IterationStats stats = measure(f[0], f[1], chain.meanGradNorm(), k, lr, sigma,
                    (System.nanoTime() - started) / 1e9);
            checkDivergence(stats); // before the update: a diverged step never reaches the weights
            applyUpdate(lr);
            starts.finish(chain.samples());
            keepSamples(chain.samples());
            iteration++;
            return stats.withSeconds((System.nanoTime() - started) / 1e9); // the whole iteration, update included
        }
    }

    /** The iteration's statistics with the Anatomy diagnostics d_s_t, r_t, v_t (see {@link IterationStats}). */
    public IterationStats measure(double fPositive, double fNegative, double gradNorm, int k, double lr,
                                  double sigma, double seconds) {
        double c = config.energyScale(sampler.config());
        return new IterationStats(iteration + 1, fPositive, fNegative, gradNorm, k, lr, sigma, seconds,
                c * (fNegative - fPositive), sampler.config().stepSize() * gradNorm, c * gradNorm);
    }

    /**
     * Accumulates the weights' gradients of the seed code's {@code -L = mean f(x-) - mean f(x+)} on given batches,
     * times {@link LearnerConfig#lossScale()} (2/eps^2 in the Anatomy parametrisation, else 1), and returns
     * {mean f(x+), mean f(x-)}. Nothing changes the weights until {@link #applyUpdate}.
     */
    public double[] lossGradients(NDArray positive, NDArray negative) {
        Parameters params = net.parameters();
        params.requireGradients(true);
        params.zeroGradients();
        return Autograd.recording(() -> {
            NDArray fPositive = net.forward(positive).mean();
            NDArray fNegative = net.forward(negative).mean();
            NDArray loss = fNegative.sub(fPositive);
            double scale = config.lossScale();
            Autograd.backward(scale == 1.0 ? loss : loss.mul((float) scale));
            return new double[] {fPositive.getFloat(), fNegative.getFloat()};
        });
    }

    /** One optimiser step on the gradients {@link #lossGradients} accumulated. */
    public void applyUpdate(double lr) {
        optimizer.step(net.parameters(), lr);
    }

    private void checkDivergence(IterationStats s) {
        double bound = config.divergenceBound();
        String problem = null;
        if (!Double.isFinite(s.fPositive()) || !Double.isFinite(s.fNegative()) || !Double.isFinite(s.gradNorm())) {
            problem = "non-finite values";
        } else if (Math.abs(s.fPositive()) > bound || Math.abs(s.fNegative()) > bound
                || Math.abs(s.difference()) > bound) {
            problem = "energies beyond the divergence bound " + bound;
        }
        if (problem != null) {
            throw new DivergenceException(String.format(
                    "training diverged at iteration %d (%s): f(x+)=%.4g f(x-)=%.4g f(x+)-f(x-)=%.4g "
                            + "mean |grad f|=%.4g. The update was not applied. Usual remedies: a larger data noise "
                            + "sigma, a smaller learning rate, or a new seed.",
                    s.iteration(), problem, s.fPositive(), s.fNegative(), s.difference(), s.gradNorm()), s);
        }
    }

    private void keepSamples(NDArray samples) {
        if (lastSamples != null) {
            lastSamples.close();
        }
        samples.attach(manager);
        lastSamples = samples;
    }

    /** The short-run samples x- of the last completed iteration (null before the first). */
    public NDArray lastSamples() {
        return lastSamples;
    }

    /** Completed iterations. */
    public long iteration() {
        return iteration;
    }

    public Rng rng() {
        return rng;
    }

    /** Chain starts, with the persistent bank if the run has one (saved in checkpoints). */
    public ChainStarts chainStarts() {
        return starts;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    public EnergyNet net() {
        return net;
    }

    /** Continues from a checkpoint: {@code iterations} completed, optimiser restored separately. */
    public void resumeAt(long completedIterations) {
        this.iteration = completedIterations;
    }

    @Override
    public void close() {
        optimizer.close();
        manager.close();
    }
}
