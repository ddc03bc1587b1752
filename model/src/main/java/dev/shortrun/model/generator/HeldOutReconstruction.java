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

    /** Reports progress: descent steps done out of the total over all batches, and the current batch's MSE. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param batch      1-based index of the batch being reconstructed, out of {@code batches}
         * @param msePerPixel the batch's mean squared error per pixel at its current z (never rises under the
         *                    backtracking rule)
         */
        void update(long done, long total, int batch, int batches, double msePerPixel);
    }

    /**
     * @param mse            mean over examples and pixels of (M(z_T) - x)^2
     * @param startMse       the same at z_0 (where the descent started)
     * @param count          examples reconstructed
     * @param secondsPerStep wall time of one descent step on one batch
     * @param batch          examples per batch (at most count)
     * @param rule           the step-size rule and its settings ({@link DescentRule#describe()})
     * @param keptFraction   fraction of tried steps taken (backtracking rejects those that would not descend)
     * @param curve          MSE per pixel over all examples after t = 0..steps steps ({@code curve[0] = startMse},
     *                       {@code curve[steps] = mse})
     */
    public record Report(double mse, double startMse, int count, double secondsPerStep, int batch, String rule,
                         double keptFraction, double[] curve) {
    }

    public static Report run(Reconstruction reconstruction, Initializer p0, NDArray examples, int batch, int steps,
                             RandomTensors random, Path transitionPng, int figureRows, Progress progress) {
        NDManager owner = examples.getManager();
        long n = examples.getShape().get(0);
        int batches = (int) ((n + batch - 1) / batch);
        double[] curve = new double[steps + 1];
        double keptSum = 0;
        long started = System.nanoTime();
        long[] done = {0};
        for (int b = 0; b < batches; b++) {
            try (NDManager scope = owner.newSubManager()) {
                NDArray x = examples.get(b * (long) batch + ":" + Math.min(n, (b + 1L) * batch));
                x.attach(scope);
                Shape shape = x.getShape();
                long pixels = shape.size() / shape.get(0);
                NDArray z0 = p0.needsData() ? p0.fromData(x) : p0.draw(scope, shape, random);
                List<Tensor> columns = new ArrayList<>();
                int rows = b == 0 && transitionPng != null ? (int) Math.min(figureRows, shape.get(0)) : 0;
                int batchNumber = b + 1;
                Reconstruction.Result result = reconstruction.run(z0, x, steps, (t, xt, loss) -> {
                    if (rows > 0 && shows(t, steps)) {
                        columns.add(Parameters.toTensor(xt.get(":" + rows)));
                    }
                    double lossSum = loss.toType(DataType.FLOAT64, false).sum().getDouble();
                    curve[t] += lossSum / pixels;
                    if (t > 0) {
                        done[0]++;
                        progress.update(done[0], (long) batches * steps, batchNumber, batches,
                                lossSum / shape.get(0) / pixels);
                    }
                });
                keptSum += result.keptFraction() * shape.get(0);
                if (rows > 0) {
                    columns.add(Parameters.toTensor(x.get(":" + rows)));
                    writeTransition(transitionPng, columns);
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        for (int t = 0; t <= steps; t++) {
            curve[t] /= n;
        }
        return new Report(curve[steps], curve[0], (int) n, seconds / Math.max(1, (long) batches * steps),
                (int) Math.min(batch, n), reconstruction.rule().describe(), keptSum / n, curve);
    }

    /** The steps the transition picture shows: t = 0, T/10, ..., T (11 columns; fewer when T < 10). */
    public static List<Integer> shownSteps(int steps) {
        List<Integer> shown = new ArrayList<>();
        for (int t = 0; t <= steps; t++) {
            if (shows(t, steps)) {
                shown.add(t);
            }
        }
        return shown;
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
