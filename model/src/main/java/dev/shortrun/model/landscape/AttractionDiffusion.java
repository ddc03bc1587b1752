package dev.shortrun.model.landscape;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.nets.Energy;
import dev.shortrun.model.sampling.Temperature;
import dev.shortrun.model.torch.Autograd;
import dev.shortrun.model.torch.ChannelsLast;
import dev.shortrun.model.torch.RandomTensors;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Attraction-diffusion (Hill, Nijkamp and Zhu 2019): Langevin chains on the magnetized energy
 * {@code U(x) + alpha ||x - x*||} at temperature tau (a fraction of the training temperature T), which pulls a chain
 * from one state towards a target x* with a constant force alpha. A chain that comes within the arrival distance of
 * x* has found a path; the highest U met on the way (the target's own U included) is that path's barrier, an upper
 * bound of the lowest saddle between the two states. A chain that goes {@code patience} steps without a new closest
 * approach (closer by a tenth of the arrival distance), or reaches {@code budget} steps, has failed: at this alpha
 * and tau a barrier keeps the states apart.
 *
 * <p>Chains that measure barriers also evaluate U halfway between consecutive states: the highest U over the states
 * alone misses the part of a crest that a step jumps over, and the lowest of several chains' barriers then favours
 * exactly the chains that jumped (on the exact 8-Gaussian energy: up to 0.07 below the saddle without the midpoints,
 * within 0.02 with them).
 *
 * <p>The step is at most a fraction kappa of the training chain's step s on grad f: {@code x <- x + k grad f -
 * k T alpha (x - x*)/||x - x*|| + sqrt(2 k T tau) Z} (U = -f/T, eps^2/2 = s T) with k = kappa s, or less where a
 * strong pull would move a chain more than a fifth of the arrival distance per step ({@link #stepAt}). Chains of
 * many jobs advance together in batches of at most {@code batch}; a finished chain's place goes to the next job.
 * Each step lives in its own sub-manager, so memory stays flat over any number of steps; only 2D paths are kept
 * (for pictures).
 */
final class AttractionDiffusion {
    /** The fraction of the arrival distance a chain must gain on its closest approach to count as progress. */
    static final double PROGRESS = 0.1;
    /** The most a chain's pull moves it per step, as a fraction of the arrival distance. */
    static final double PULL_PER_STEP = 0.2;
    private final Energy energy;
    private final Temperature temperature;
    private final double stepSize;
    private final LandscapeSettings settings;

    /**
     * @param trainingStep the training chain's step s on grad f
     */
    AttractionDiffusion(Energy energy, Temperature temperature, double trainingStep, LandscapeSettings settings) {
        this.energy = energy;
        this.temperature = temperature;
        this.stepSize = trainingStep * settings.stepScale();
        this.settings = settings;
    }

    /** One chain: from state {@code start} towards state {@code target} (indices into the states) at {@code alpha}. */
    record Job(int start, int target, double alpha) {
    }

    /**
     * What a chain found.
     *
     * @param barrier the highest U on the way (start, visited states, target); meaningful when {@code arrived}
     * @param steps   steps taken
     * @param path    the visited 2D points as interleaved x, y (start first), or null when paths are not kept
     * @param peak    the point of {@code path} where U was highest, or -1 (no path, or the target's U was highest)
     */
    record Outcome(boolean arrived, double barrier, int steps, float[] path, int peak) {
    }

    /**
     * Runs every job's chain to its end.
     *
     * @param states   the states jobs refer to, each flattened (shape {@code exampleShape})
     * @param energies U of each state
     * @param barriers true to measure barriers (U at the midpoints too; 2D paths kept), false when only arrival
     *                 matters
     * @param done     told the number of finished chains after every step that finished some
     * @return one outcome per job, in job order
     */
    List<Outcome> run(float[][] states, double[] energies, long[] exampleShape, List<Job> jobs, NDManager manager,
                      RandomTensors random, boolean barriers, IntConsumer done) {
        boolean keepPaths = barriers && exampleShape.length == 1 && exampleShape[0] == 2;
        Autograd.stopRecording();
        Outcome[] out = new Outcome[jobs.size()];
        Deque<Integer> queue = new ArrayDeque<>();
        for (int i = 0; i < jobs.size(); i++) {
            queue.add(i);
        }
        int finished = 0;
        try (NDManager scope = manager.newSubManager()) {
            Energy chainEnergy = energy.forChain(scope);
            List<Chain> active = new ArrayList<>();
            Batch batch = null;
            while (!queue.isEmpty() || !active.isEmpty()) {
                if (batch == null) {
                    while (active.size() < settings.batch() && !queue.isEmpty()) {
                        int j = queue.poll();
                        Job job = jobs.get(j);
                        active.add(new Chain(j, job, states, energies[job.target()], keepPaths));
                    }
                    batch = Batch.of(active, states, exampleShape, this, scope);
                }
                int before = active.size();
                if (step(chainEnergy, batch, active, random, barriers, out)) {
                    batch.close(); // chains ended: the survivors and new jobs make the next batch
                    batch = null;
                    finished += before - active.size();
                    if (done != null) {
                        done.accept(finished);
                    }
                }
            }
        }
        return Arrays.asList(out);
    }

    /**
     * One step of every active chain: measure U and the distance to the target at the current state, retire the
     * chains that arrived or gave up, move the others. When some ended, the survivors' states are copied back into
     * their {@link Chain}s, {@code active} keeps only them, and true is returned (the batch must be rebuilt).
     */
    private boolean step(Energy chainEnergy, Batch batch, List<Chain> active, RandomTensors random, boolean midpoints,
                         Outcome[] out) {
        NDManager scope = batch.target.getManager();
        try (NDManager step = scope.newSubManager()) {
            NDArray x = batch.x;
            x.attach(step); // freed with the step unless it is the state kept
            x.setRequiresGradient(true);
            NDArray f = Autograd.recording(() -> {
                NDArray value = chainEnergy.forward(x);
                Autograd.backward(value.sum());
                return value;
            });
            NDArray grad = x.getGradient();
            x.setRequiresGradient(false);
            grad.attach(step);
            NDArray diff = x.sub(batch.target);
            NDArray dist = diff.norm(ChannelsLast.exampleAxes(diff));
            float[] fs = f.stopGradient().toFloatArray();
            float[] ds = dist.toFloatArray();
            float[] xs = active.get(0).path != null ? x.toFloatArray() : null;
            List<Chain> survivors = new ArrayList<>();
            for (int i = 0; i < active.size(); i++) {
                Chain c = active.get(i);
                Outcome o = c.observe(temperature.energy(fs[i]), ds[i], xs, i, settings);
                if (o == null) {
                    survivors.add(c);
                } else {
                    out[c.index] = o;
                }
            }
            // x + k grad f - k T alpha (x - x*) / ||x - x*|| + sqrt(2 k T tau) Z, per chain; a chain on its target
            // has arrived before it moves (the arrival distance is positive), so the unit vector is always defined
            NDArray unit = diff.divi(dist.maximum(1e-12f).reshape(batch.perExample));
            NDArray next = x.add(grad.muli(batch.step)).subi(unit.muli(batch.pull))
                    .addi(random.normal(step, x.getShape()).muli(batch.noise));
            if (midpoints) {
                float[] half = Autograd.recording(() -> chainEnergy.forward(x.add(next).muli(0.5f)).stopGradient()
                        .toFloatArray());
                for (int i = 0; i < active.size(); i++) {
                    active.get(i).between(temperature.energy(half[i]));
                }
            }
            if (survivors.size() == active.size()) {
                next.attach(scope);
                batch.x = next;
                return false;
            }
            float[] now = next.toFloatArray();
            int per = now.length / active.size();
            for (int i = 0; i < active.size(); i++) {
                active.get(i).x = Arrays.copyOfRange(now, i * per, (i + 1) * per);
            }
            batch.x = null; // freed with the step
            active.clear();
            active.addAll(survivors);
            return true;
        }
    }

    /** A chain's bookkeeping on the Java side: closest approach, steps without progress, highest U, its 2D path. */
    private static final class Chain {
        final int index;
        final Job job;
        float[] x; // the state the chain continues from when its batch is rebuilt (never written into)
        final double targetEnergy;
        double closest = Double.POSITIVE_INFINITY;
        int stalled;
        int steps;
        double highest;
        int peak = -1;
        final FloatList path;

        Chain(int index, Job job, float[][] states, double targetEnergy, boolean keepPath) {
            this.index = index;
            this.job = job;
            this.x = states[job.start()];
            this.targetEnergy = targetEnergy;
            this.highest = targetEnergy;
            this.path = keepPath ? new FloatList() : null;
        }

        /** Records the current state; returns the outcome when the chain ends here, else null. */
        Outcome observe(double u, double distance, float[] xs, int row, LandscapeSettings s) {
            if (path != null) {
                path.add(xs[2 * row], xs[2 * row + 1]);
            }
            if (u > highest) {
                highest = u;
                peak = path == null ? -1 : path.size() - 1;
            }
            if (distance <= s.arrival()) {
                return end(true);
            }
            // progress is a new closest approach by more than a tenth of the arrival distance: a chain at rest in
            // another basin still sets ever rarer tiny records by chance, and would otherwise run far longer
            if (distance < closest - PROGRESS * s.arrival()) {
                closest = distance;
                stalled = 0;
            } else {
                stalled++;
            }
            if (stalled >= s.patience() || steps >= s.budget()) {
                return end(false);
            }
            steps++;
            return null;
        }

        /** U halfway to the next state (the step about to be taken). */
        void between(double u) {
            if (u > highest) {
                highest = u;
                peak = path == null ? -1 : path.size() - 1; // drawn at the state before the crest
            }
        }

        private Outcome end(boolean arrived) {
            return new Outcome(arrived, highest, steps, path == null ? null : path.toArray(), peak);
        }
    }

    /**
     * The step k on grad f of a chain at magnetization {@code alpha}: kappa s, but small enough that the pull alone
     * moves the chain at most {@link #PULL_PER_STEP} of the arrival distance per step (k T alpha), so that a strong
     * pull neither overshoots its target nor leaps over crests.
     */
    double stepAt(double alpha) {
        return Math.min(stepSize, PULL_PER_STEP * settings.arrival() / (temperature.value() * alpha));
    }

    /** The active chains' states and targets, and per chain its step, pull and noise (images channels-last). */
    private static final class Batch implements AutoCloseable {
        NDArray x;
        final NDArray target;
        final NDArray step;
        final NDArray pull;
        final NDArray noise;
        final Shape perExample;

        private Batch(NDArray x, NDArray target, NDArray step, NDArray pull, NDArray noise, Shape perExample) {
            this.x = x;
            this.target = target;
            this.step = step;
            this.pull = pull;
            this.noise = noise;
            this.perExample = perExample;
        }

        static Batch of(List<Chain> chains, float[][] states, long[] exampleShape, AttractionDiffusion ad,
                        NDManager scope) {
            if (chains.isEmpty()) {
                return null;
            }
            int n = chains.size();
            int per = states[0].length;
            float[] x = new float[n * per];
            float[] target = new float[n * per];
            float[] step = new float[n];
            float[] pull = new float[n];
            float[] noise = new float[n];
            double t = ad.temperature.value();
            for (int i = 0; i < n; i++) {
                Chain c = chains.get(i);
                System.arraycopy(c.x, 0, x, i * per, per);
                System.arraycopy(states[c.job.target()], 0, target, i * per, per);
                double k = ad.stepAt(c.job.alpha());
                step[i] = (float) k;
                pull[i] = (float) (k * t * c.job.alpha());
                noise[i] = (float) Math.sqrt(2 * k * t * ad.settings.temperature());
            }
            long[] dims = new long[exampleShape.length + 1];
            dims[0] = n;
            System.arraycopy(exampleShape, 0, dims, 1, exampleShape.length);
            long[] ones = new long[dims.length];
            Arrays.fill(ones, 1);
            ones[0] = n;
            Shape shape = new Shape(dims);
            Shape perExample = new Shape(ones);
            try (NDArray plainX = scope.create(x, shape); NDArray plainTarget = scope.create(target, shape)) {
                return new Batch(ChannelsLast.copyOf(plainX), ChannelsLast.copyOf(plainTarget),
                        scope.create(step, perExample), scope.create(pull, perExample),
                        scope.create(noise, perExample), perExample);
            }
        }

        @Override
        public void close() {
            if (x != null) {
                x.close();
            }
            target.close();
            step.close();
            pull.close();
            noise.close();
        }
    }

    /** A growable float array (2D paths). */
    private static final class FloatList {
        private float[] v = new float[64];
        private int n;

        void add(float a, float b) {
            if (n + 2 > v.length) {
                v = Arrays.copyOf(v, 2 * v.length);
            }
            v[n++] = a;
            v[n++] = b;
        }

        float[] toArray() {
            return Arrays.copyOf(v, n);
        }

        /** Points held (pairs of values). */
        int size() {
            return n / 2;
        }
    }
}
