package dev.shortrun.model.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.data.DatasetFormats;
import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.io.ImageGrid;
import dev.shortrun.model.io.Png;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.metrics.ToyDensityMaps;
import dev.shortrun.model.nets.EnergyNet;
import dev.shortrun.model.nets.Parameters;
import dev.shortrun.model.sampling.ChainStarts;
import dev.shortrun.model.sampling.Initializer;
import dev.shortrun.model.sampling.LangevinSampler;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.util.Rng;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Short-run sampling from a saved checkpoint: x_K = M_theta(z) with z ~ p0 or given. */
public final class CheckpointSampler implements AutoCloseable {
    private final Checkpoint checkpoint;
    private final Path json;
    private final NDManager manager;
    private final EnergyNet net;

    public CheckpointSampler(Path json, NDManager parent) {
        this.checkpoint = Checkpoint.read(json);
        this.json = json;
        this.manager = parent.newSubManager();
        this.net = checkpoint.loadNet(json, manager);
    }

    public Checkpoint checkpoint() {
        return checkpoint;
    }

    /** The checkpoint's energy network (owned by this sampler). */
    public EnergyNet net() {
        return net;
    }

    public TrainConfig config() {
        return checkpoint.config();
    }

    /** Shape of a batch of {@code count} samples: (N, C, H, W), or (N, 2) for 2D toys. */
    public Shape batchShape(long count) {
        TrainConfig c = config();
        return c.data().isToy() ? new Shape(count, 2)
                : new Shape(count, c.net().channels(), c.net().imageSize(), c.net().imageSize());
    }

    /** Draws z from the training p0 with {@code random} (for a low-resolution p0: from training images). */
    public NDArray drawStart(int count, RandomTensors random) {
        Initializer init = config().learner().init();
        if (init.needsData()) {
            return init.fromData(config().data().open().batch(manager, count, random.rng()));
        }
        return init.draw(manager, batchShape(count), random);
    }

    /** Runs {@code steps} Langevin steps from {@code start} (noise on or off); the listener sees every step. */
    public LangevinSampler.Chain run(NDArray start, int steps, RandomTensors random, boolean noise,
                                     LangevinSampler.StepListener listener) {
        return new LangevinSampler(config().langevin()).run(net, start, steps, random, noise, listener);
    }

    /**
     * The Anatomy paper's Figure 6 numbers for a 2D toy checkpoint: true density, the density the energy defines
     * (exp(c f) on the grid, c = 2 s / eps^2) and a KDE of {@code samples} short-run chains run as in training for
     * K_max steps from the training p0. Persistent runs start them, as the reference code does, from the saved bank
     * (without updating it): the whole bank, or a random subset of it when fewer samples are asked for. Only the
     * newest checkpoint keeps its bank; for older ones the chains start from the bank's own initial noise instead
     * ({@link ToyDensityMaps#kdeFromBank()} tells which).
     */
    public ToyDensityMaps densityMaps(int samples, long seed, LangevinSampler.StepListener listener) {
        TrainConfig c = config();
        if (!c.data().isToy()) {
            throw new IllegalArgumentException("density maps need a 2D toy model (" + String.join(", ",
                    DatasetFormats.toyNames()) + "); this checkpoint was trained on " + c.data().dataset());
        }
        Rng rng = new Rng(seed);
        RandomTensors random = new RandomTensors(rng);
        try (NDManager scope = manager.newSubManager()) {
            Tensor bank = savedBank();
            NDArray start = bank != null ? fromBank(scope, bank, samples, rng) : drawStart(samples, random);
            start.attach(scope);
            LangevinSampler.Chain chain = run(start, c.langevin().trainingK(), random, true, listener);
            float[] xy = chain.samples().toFloatArray();
            return ToyDensityMaps.compute(c.data().dataset(), net, c.learner().energyScale(c.langevin()), xy,
                    bank != null, scope);
        }
    }

    /** The checkpoint's persistent bank, or null when it has none (not persistent, or an older checkpoint). */
    private Tensor savedBank() {
        if (checkpoint.bank() == null || !Files.exists(json.resolveSibling(checkpoint.bank()))) {
            return null;
        }
        Path file = json.resolveSibling(checkpoint.bank());
        Tensor bank = Checkpoint.readTensors(file).get(Checkpoint.BANK_TENSOR);
        if (bank == null) {
            throw new IllegalArgumentException(file + " holds no tensor '" + Checkpoint.BANK_TENSOR + "'");
        }
        return bank;
    }

    /** {@code count} distinct bank rows (all of them, shuffled, when count >= the bank size). */
    private static NDArray fromBank(NDManager scope, Tensor bank, int count, Rng rng) {
        int rows = (int) bank.dim(0);
        int per = bank.data().length / rows;
        int[] picked = ChainStarts.distinctIndices(Math.min(count, rows), rows, rng);
        float[] out = new float[picked.length * per];
        for (int i = 0; i < picked.length; i++) {
            System.arraycopy(bank.data(), picked[i] * per, out, i * per, per);
        }
        long[] shape = bank.shape().clone();
        shape[0] = picked.length;
        return scope.create(out, new Shape(shape));
    }

    /**
     * The reply-to-reviewers figure: {@code chains} chains from the same z, each row one chain, each column the
     * state after K = {@code kValues[j]} steps (sampling longer than the training K over-saturates).
     */
    public void transitionStrip(Path png, int chains, int[] kValues, long seed) {
        RandomTensors random = new RandomTensors(new Rng(seed));
        int maxK = 0;
        for (int k : kValues) {
            maxK = Math.max(maxK, k);
        }
        List<Tensor> columns = new ArrayList<>();
        NDArray start = drawStart(chains, random);
        if (contains(kValues, 0)) {
            columns.add(Parameters.toTensor(start));
        }
        run(start, maxK, random, true, (k, x) -> {
            if (contains(kValues, k)) {
                columns.add(Parameters.toTensor(x));
            }
        });
        try {
            if (config().data().isToy()) {
                Png.write(png, Pictures.scatterStrip(config().data().dataset(), columns, labels(kValues)));
            } else {
                ImageGrid.write(png, ImageGrid.chainMajor(columns), columns.size());
            }
        } catch (IOException e) {
            throw AtomicFiles.unchecked(e);
        }
    }

    private static List<String> labels(int[] kValues) {
        List<String> labels = new ArrayList<>();
        for (int k : kValues) {
            labels.add("K=" + k);
        }
        return labels;
    }

    private static boolean contains(int[] values, int v) {
        for (int x : values) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        net.close();
        manager.close();
    }
}
