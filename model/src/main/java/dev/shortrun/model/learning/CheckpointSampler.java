package dev.shortrun.model.learning;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.data.ToyDatasets;
import dev.shortrun.model.io.ImageGrid;
import dev.shortrun.model.io.Png;
import dev.shortrun.model.io.ScatterPlot;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.nets.EnergyNet;
import dev.shortrun.model.nets.Parameters;
import dev.shortrun.model.sampling.Initializer;
import dev.shortrun.model.sampling.LangevinSampler;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.util.Rng;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Short-run sampling from a saved checkpoint: x_K = M_theta(z) with z ~ p0 or given. */
public final class CheckpointSampler implements AutoCloseable {
    private final Checkpoint checkpoint;
    private final NDManager manager;
    private final EnergyNet net;

    public CheckpointSampler(Path json, NDManager parent) {
        this.checkpoint = Checkpoint.read(json);
        this.manager = parent.newSubManager();
        this.net = checkpoint.loadNet(json, manager);
    }

    public Checkpoint checkpoint() {
        return checkpoint;
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

    /** The network of this checkpoint (owned by this sampler). */
    public EnergyNet net() {
        return net;
    }

    /** Runs {@code steps} Langevin steps from {@code start} (noise on or off); the listener sees every step. */
    public LangevinSampler.Chain run(NDArray start, int steps, RandomTensors random, boolean noise,
                                     LangevinSampler.StepListener listener) {
        return new LangevinSampler(config().langevin()).run(net, start, steps, random, noise, listener);
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
                Png.write(png, scatterRow(columns, kValues));
            } else {
                ImageGrid.write(png, ImageGrid.interleave(columns), columns.size());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
        }
    }

    private static boolean contains(int[] values, int v) {
        for (int x : values) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    private BufferedImage scatterRow(List<Tensor> columns, int[] kValues) {
        String toy = config().data().dataset();
        float[] cloud = ToyDatasets.sample(toy, 1000, 20191208L);
        int size = 220;
        BufferedImage row = new BufferedImage(size * columns.size(), size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = row.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, row.getWidth(), row.getHeight());
        int j = 0;
        for (int k : kValues) {
            if (j < columns.size()) {
                g.drawImage(ScatterPlot.render(cloud, columns.get(j).data(), ToyDatasets.extent(toy), "K=" + k, size),
                        j * size, 0, null);
                j++;
            }
        }
        g.dispose();
        return row;
    }

    @Override
    public void close() {
        net.close();
        manager.close();
    }
}
