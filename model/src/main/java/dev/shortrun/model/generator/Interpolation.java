package dev.shortrun.model.generator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.io.ImageGrid;
import dev.shortrun.model.nets.Parameters;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Interpolation by the short-run chain (Section 3.4, Figure 3): {@code z_rho = rho z1 + sqrt(1 - rho^2) z2}, which
 * keeps the marginal variance of z, and {@code x_rho = M_theta(z_rho)} for rho from 1 (left, M(z1)) to 0 (right,
 * M(z2)).
 */
public final class Interpolation {
    private Interpolation() {
    }

    /** rho for each of {@code points} columns, evenly spaced from 1 down to 0. */
    public static double[] rhos(int points) {
        if (points < 2) {
            throw new IllegalArgumentException("interpolation needs at least 2 points (rho = 1 and 0), got " + points);
        }
        double[] rho = new double[points];
        for (int j = 0; j < points; j++) {
            rho[j] = 1.0 - (double) j / (points - 1);
        }
        return rho;
    }

    /**
     * The latent paths of all pairs (z1[i], z2[i]), pair-major: row i * points + j holds z at rho[j] for pair i.
     */
    public static NDArray latents(NDArray z1, NDArray z2, double[] rho) {
        if (!z1.getShape().equals(z2.getShape())) {
            throw new IllegalArgumentException("z1 and z2 differ in shape: " + z1.getShape() + " vs " + z2.getShape());
        }
        NDList rows = new NDList();
        for (long i = 0; i < z1.getShape().get(0); i++) {
            NDArray a = z1.get(i).expandDims(0);
            NDArray b = z2.get(i).expandDims(0);
            for (double r : rho) {
                rows.add(a.mul((float) r).addi(b.mul((float) Math.sqrt(Math.max(0, 1 - r * r)))));
            }
        }
        return NDArrays.concat(rows);
    }

    /** M_theta(z_rho) for every pair and rho, pair-major as {@link #latents}. */
    public static NDArray strips(ShortRunGenerator generator, NDArray z1, NDArray z2, int points) {
        return generator.apply(latents(z1, z2, rhos(points)));
    }

    /** The Figure 3 picture: one strip per pair, M(z1) on the left, M(z2) on the right. */
    public static void figure(Path png, ShortRunGenerator generator, NDArray z1, NDArray z2, int points) {
        try {
            ImageGrid.write(png, Parameters.toTensor(strips(generator, z1, z2, points)), points);
        } catch (IOException e) {
            throw AtomicFiles.unchecked(e);
        }
    }
}
