package dev.shortrun.model.generator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.io.ImageGrid;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.nets.Parameters;
import dev.shortrun.model.sampling.LowResolution;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.util.Rng;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Super-resolution by short-run MCMC (long version, Section 5.4, Figure 8): the chain starts from the low-resolution
 * image (upsampled) and runs K noisy Langevin steps; each seed gives another high-resolution sample.
 */
public final class SuperResolution {
    private SuperResolution() {
    }

    /**
     * One row per image: the low-resolution start, one sample per seed, the original. Returns the mean squared
     * error per pixel of the samples against the originals.
     */
    public static double figure(Path png, ShortRunGenerator generator, NDArray images, int lowSize, int seeds,
                                long seed) {
        try (NDManager scope = images.getManager().newSubManager()) {
            NDArray start = LowResolution.start(images, lowSize);
            start.attach(scope);
            List<Tensor> columns = new ArrayList<>();
            columns.add(Parameters.toTensor(start));
            double squaredError = 0;
            for (int s = 0; s < seeds; s++) {
                RandomTensors random = new RandomTensors(new Rng(seed + s));
                NDArray x = generator.apply(start, (m, shape, k) -> random.normal(m, shape));
                squaredError += Reconstruction.msePerPixel(x, images).mean()
                        .toType(DataType.FLOAT64, false).getDouble();
                columns.add(Parameters.toTensor(x));
            }
            columns.add(Parameters.toTensor(images));
            try {
                ImageGrid.write(png, ImageGrid.chainMajor(columns), columns.size());
            } catch (IOException e) {
                throw AtomicFiles.unchecked(e);
            }
            return squaredError / seeds;
        }
    }
}
