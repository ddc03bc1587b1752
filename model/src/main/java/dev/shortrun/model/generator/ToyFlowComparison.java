package dev.shortrun.model.generator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.io.Png;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.model.torch.Devices;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.util.Rng;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reply to reviewers on 2D toys: the deterministic chain's flow density (change of variables, {@link ToyFlowDensity})
 * next to the KDE of its samples M(z), z ~ p0, on the same grid; their total variation distance says how well
 * the flow formula describes where the chain puts its samples.
 *
 * @param integral flow density summed over the grid (1 when the grid holds M(support of p0) and M is invertible)
 * @param reached  fraction of grid points whose inversion converged
 * @param totalVariation 0.5 sum |p_flow - p_kde| dA
 */
public record ToyFlowComparison(double integral, double reached, double totalVariation) {
    public static ToyFlowComparison run(CheckpointSampler sampler, Path png, int gridSize, double extent,
                                        int samples, double kdeFactor, long seed) {
        ShortRunGenerator generator = GeneratorTasks.trainedGenerator(sampler);
        try (NDManager scope = Devices.newManager()) {
            ToyFlowDensity.Grid flow = ToyFlowDensity.on(generator, sampler.config().learner().init(), scope,
                    gridSize, extent, 10, 1e-4);
            NDArray z = sampler.drawStart(samples, new RandomTensors(new Rng(seed)));
            double[] xy = generator.apply(z).toType(DataType.FLOAT64, false).toDoubleArray();
            double[] kde = new SampleKde(xy, kdeFactor).density(ToyFlowDensity.gridPoints(gridSize, extent));
            double tv = 0;
            for (int i = 0; i < kde.length; i++) {
                tv += Math.abs(flow.density()[i] - kde[i]);
            }
            tv *= 0.5 * flow.cellArea();
            writeMaps(png, flow.density(), kde, gridSize);
            return new ToyFlowComparison(flow.integral(), flow.reached(), tv);
        }
    }

    /** Two grey-scale maps side by side (flow left, KDE right), each scaled to its own maximum. */
    private static void writeMaps(Path png, double[] left, double[] right, int size) {
        int scale = Math.max(1, 300 / size);
        int w = size * scale;
        BufferedImage image = new BufferedImage(2 * w + 8, w, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < w; y++) {
            for (int x = 0; x < 8; x++) {
                image.setRGB(w + x, y, 0xffffff);
            }
        }
        draw(image, left, size, scale, 0);
        draw(image, right, size, scale, w + 8);
        try {
            Png.write(png, image);
        } catch (IOException e) {
            throw AtomicFiles.unchecked(e);
        }
    }

    private static void draw(BufferedImage image, double[] density, int size, int scale, int left) {
        double max = 0;
        for (double d : density) {
            max = Math.max(max, d);
        }
        for (int row = 0; row < size; row++) {
            for (int col = 0; col < size; col++) {
                int v = max > 0 ? (int) Math.round(255 * density[row * size + col] / max) : 0;
                int rgb = v << 16 | v << 8 | v;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        image.setRGB(left + col * scale + dx, row * scale + dy, rgb);
                    }
                }
            }
        }
    }
}
