package dev.shortrun.model.generator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.io.ImageGrid;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.nets.Parameters;
import dev.shortrun.model.sampling.Initializer;
import dev.shortrun.model.torch.RandomTensors;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The paper's Table 1b protocol: reconstruct held-out examples by {@link Reconstruction} from z_0 ~ p0 and report
 * the mean squared error per pixel (model space, pixels in [-1, 1]); the first batch's first rows also give the
 * Figure 4 transition (M(z_t) at 11 evenly spaced t, then the observed example).
 */
public final class HeldOutReconstruction {
    private static final int FIGURE_COLUMNS = 11;

    private HeldOutReconstruction() {
    }

    /** Reports progress: GD steps done out of the total over all batches. */
    @FunctionalInterface
    public interface Progress {
        void update(long done, long total, double meanLoss);
    }

    /**
     * @param mse            mean over examples and pixels of (M(z_T) - x)^2
     * @param count          examples reconstructed
     * @param secondsPerStep wall time of one GD step on one batch
     * @param batch          examples per batch
     */
    public record Report(double mse, int count, double secondsPerStep, int batch) {
    }

    public static Report run(Reconstruction reconstruction, ShortRunGenerator generator, Initializer p0,
                             NDArray examples, int batch, int steps, RandomTensors random, Path transitionPng,
                             int figureRows, Progress progress) {
        NDManager owner = examples.getManager();
        long n = examples.getShape().get(0);
        long batches = (n + batch - 1) / batch;
        double squaredErrorSum = 0;
        long started = System.nanoTime();
        long[] done = {0};
        for (long b = 0; b < batches; b++) {
            try (NDManager scope = owner.newSubManager()) {
                NDArray x = examples.get(b * batch + ":" + Math.min(n, (b + 1) * batch));
                x.attach(scope);
                Shape shape = x.getShape();
                NDArray z0 = p0.needsData() ? p0.fromData(x) : p0.draw(scope, shape, random);
                List<Tensor> columns = new ArrayList<>();
                int rows = b == 0 && transitionPng != null ? (int) Math.min(figureRows, shape.get(0)) : 0;
                double[] lastLoss = {0};
                NDArray z = reconstruction.run(z0, x, steps, (t, xt, loss) -> {
                    if (rows > 0 && shows(t, steps)) {
                        columns.add(Parameters.toTensor(xt.get(":" + rows)));
                    }
                    lastLoss[0] = loss.mean().toType(DataType.FLOAT64, false).getDouble();
                    if (t < steps) {
                        done[0]++;
                        progress.update(done[0], batches * steps, lastLoss[0] / (shape.size() / shape.get(0)));
                    }
                });
                NDArray reconstructed = generator.apply(z);
                squaredErrorSum += Reconstruction.msePerPixel(reconstructed, x).sum()
                        .toType(DataType.FLOAT64, false).getDouble();
                if (rows > 0) {
                    columns.add(Parameters.toTensor(x.get(":" + rows)));
                    writeTransition(transitionPng, columns);
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Report(squaredErrorSum / n, (int) n, seconds / Math.max(1, batches * steps), batch);
    }

    /** t = 0, T/10, ..., T (11 columns). */
    static boolean shows(int t, int steps) {
        for (int j = 0; j < FIGURE_COLUMNS; j++) {
            if (t == Math.round((double) j * steps / (FIGURE_COLUMNS - 1))) {
                return true;
            }
        }
        return false;
    }

    static void writeTransition(Path png, List<Tensor> columns) {
        try {
            ImageGrid.write(png, ImageGrid.chainMajor(columns), columns.size());
        } catch (IOException e) {
            throw AtomicFiles.unchecked(e);
        }
    }

    /** Mean squared error per pixel of always answering {@code mean} (the baseline to beat). */
    public static double meanImageMse(NDArray mean, NDArray examples) {
        NDArray diff = examples.sub(mean.expandDims(0));
        return diff.square().mean().toType(DataType.FLOAT64, false).getDouble();
    }
}
