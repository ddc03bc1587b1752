package dev.shortrun.model.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.data.PositiveSource;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.sampling.Initializer;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.util.Rng;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The start of each iteration's negative chains, for all four initialisations. For {@code persistent} it owns the
 * bank: {@code bankSize} states on the host, filled with Uniform[-scale, scale] noise on first use (so a resumed
 * run, whose bank comes from the checkpoint, draws nothing for it). Each iteration takes {@code m} distinct random
 * bank rows (the Anatomy code's {@code randperm(N)[:m]}), and {@link #finish} writes the chains' ends back into
 * exactly those rows.
 */
public final class ChainStarts {
    private final Initializer init;
    private final PositiveSource source;
    private final long[] exampleShape;
    private final int exampleSize;
    private final int bankSize;
    private float[] bank;
    private int[] drawn;

    public ChainStarts(Initializer init, PositiveSource source, int batch) {
        this.init = init;
        this.source = source;
        this.exampleShape = source.exampleShape();
        this.exampleSize = Math.toIntExact(new Shape(exampleShape).size());
        if (init.kind() == Initializer.Kind.PERSISTENT) {
            int size = init.bankSize() > 0 ? init.bankSize() : source.count().orElse(Initializer.TOY_BANK_SIZE);
            if (size < batch) {
                throw new IllegalArgumentException("the persistent bank (" + size + " chains) must hold at least "
                        + "one batch (" + batch + ")");
            }
            if ((long) size * exampleSize > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("a persistent bank of " + size + " chains of " + exampleSize
                        + " values exceeds 2^31 values; cap the dataset or set a smaller bank size");
            }
            this.bankSize = size;
        } else {
            this.bankSize = 0;
        }
    }

    /**
     * The starts of {@code m} chains in {@code scope}. {@code sigma} is the data noise (for {@code data} starts,
     * which are a second, independently drawn noisy data batch, as in the Anatomy code).
     */
    public NDArray start(NDManager scope, int m, double sigma, Rng rng, RandomTensors random) {
        Shape shape = new Shape(m).addAll(new Shape(exampleShape));
        return switch (init.kind()) {
            case UNIFORM, GAUSSIAN -> init.draw(scope, shape, random);
            case DATA -> {
                NDArray data = source.batch(scope, m, rng);
                yield sigma > 0 ? data.addi(random.normal(scope, data.getShape()).muli((float) sigma)) : data;
            }
            case PERSISTENT -> fromBank(scope, shape, rng);
            case LOWRES -> init.fromData(source.batch(scope, m, rng));
        };
    }

    private NDArray fromBank(NDManager scope, Shape shape, Rng rng) {
        if (bank == null) {
            bank = new float[bankSize * exampleSize];
            rng.fillUniform(bank, false);
            float scale = (float) init.scale();
            for (int i = 0; i < bank.length; i++) {
                bank[i] = (bank[i] * 2 - 1) * scale; // as RandomTensors.uniform: u * (hi - lo) + lo
            }
        }
        int m = Math.toIntExact(shape.get(0));
        drawn = distinctIndices(m, bankSize, rng);
        float[] out = new float[m * exampleSize];
        for (int i = 0; i < m; i++) {
            System.arraycopy(bank, drawn[i] * exampleSize, out, i * exampleSize, exampleSize);
        }
        return scope.create(out, shape);
    }

    /** {@code m} distinct indices in [0, n), in draw order. */
    public static int[] distinctIndices(int m, int n, Rng rng) {
        Set<Integer> picked = new LinkedHashSet<>();
        while (picked.size() < m) {
            picked.add(rng.nextInt(n));
        }
        return picked.stream().mapToInt(Integer::intValue).toArray();
    }

    /** After the chains ran: a persistent bank takes their ends back into the rows they started from. */
    public void finish(NDArray samples) {
        if (init.kind() != Initializer.Kind.PERSISTENT) {
            return;
        }
        float[] x = samples.toFloatArray();
        for (int i = 0; i < drawn.length; i++) {
            System.arraycopy(x, i * exampleSize, bank, drawn[i] * exampleSize, exampleSize);
        }
        drawn = null;
    }

    /** Whether there is a bank to save (persistent, after its first iteration). */
    public boolean hasBank() {
        return bank != null;
    }

    /** The bank as (bankSize, example shape...); shares the array. */
    public Tensor bank() {
        if (bank == null) {
            throw new IllegalStateException("no persistent bank yet");
        }
        return new Tensor(bankShape(), bank);
    }

    private long[] bankShape() {
        long[] shape = new long[exampleShape.length + 1];
        shape[0] = bankSize;
        System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
        return shape;
    }

    /** Restores a bank saved by {@link #bank()}; its shape must match this run's. */
    public void restoreBank(Tensor saved, String source) {
        if (init.kind() != Initializer.Kind.PERSISTENT) {
            throw new IllegalArgumentException(source + ": a persistent bank, but this run starts chains from "
                    + init.kind().name().toLowerCase(java.util.Locale.ROOT));
        }
        long[] shape = bankShape();
        if (!Arrays.equals(saved.shape(), shape)) {
            throw new IllegalArgumentException(source + ": persistent bank has shape "
                    + Arrays.toString(saved.shape()) + ", this run expects " + Arrays.toString(shape));
        }
        bank = saved.data().clone();
    }
}
