package dev.shortrun.model.generator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.sampling.Initializer;

/**
 * The flow density of a 2D toy's deterministic chain on a grid, by change of variables:
 * {@code p(x) = p0(z) / |det dM(z)/dz|} at {@code z = M^-1(x)}. With D = 2 the exact Jacobian costs two reverse
 * passes, so each grid point is inverted by Newton's method on M(z) = x (reconstruction with the exact inverse
 * Jacobian as step), starting at z = x; a point M does not reach (residual above {@code tolerance}) has density 0.
 */
public final class ToyFlowDensity {
    private ToyFlowDensity() {
    }

    /**
     * @param density  p(x) at each grid point, row-major (y rows from the top, x columns from the left)
     * @param cellArea area of one grid cell
     * @param reached  fraction of grid points whose inversion converged
     */
    public record Grid(double[] density, int size, double extent, double cellArea, double reached) {
        /** Riemann sum of the density over the grid: ~1 when the grid covers M(support of p0). */
        public double integral() {
            double sum = 0;
            for (double p : density) {
                sum += p;
            }
            return sum * cellArea;
        }
    }

    /** Cell centres of a size x size grid over [-extent, extent]^2, as (size^2, 2) points, row-major from the top. */
    public static double[] gridPoints(int size, double extent) {
        double[] xy = new double[2 * size * size];
        double step = 2 * extent / size;
        for (int row = 0; row < size; row++) {
            for (int col = 0; col < size; col++) {
                int i = row * size + col;
                xy[2 * i] = -extent + (col + 0.5) * step;
                xy[2 * i + 1] = extent - (row + 0.5) * step;
            }
        }
        return xy;
    }

    public static Grid on(ShortRunGenerator generator, Initializer p0, NDManager manager, int size, double extent,
                          int newtonSteps, double tolerance) {
        double[] x = gridPoints(size, extent);
        int n = size * size;
        double[] z = x.clone();
        DataType type = generator.net().parameters().get("f.0.weight").getDataType();
        double[][] jac = new double[n][];
        double[] residual = new double[n];
        for (int it = 0; it <= newtonSteps; it++) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray zz = scope.create(z, new Shape(n, 2)).toType(type, false);
                Step step = jacobians(generator, zz);
                jac = step.jacobians;
                for (int i = 0; i < n; i++) {
                    double rx = step.output[2 * i] - x[2 * i];
                    double ry = step.output[2 * i + 1] - x[2 * i + 1];
                    residual[i] = Math.hypot(rx, ry);
                    if (it < newtonSteps) {
                        double[] j = jac[i];
                        double det = j[0] * j[3] - j[1] * j[2];
                        if (det != 0) {
                            z[2 * i] -= (j[3] * rx - j[1] * ry) / det;
                            z[2 * i + 1] -= (-j[2] * rx + j[0] * ry) / det;
                        }
                    }
                }
            }
        }
        double[] density = new double[n];
        int reached = 0;
        for (int i = 0; i < n; i++) {
            if (residual[i] > tolerance) {
                continue;
            }
            reached++;
            double[] j = jac[i];
            double logDet = Math.log(Math.abs(j[0] * j[3] - j[1] * j[2]));
            double logP0 = FlowLikelihood.logPrior(p0, new double[] {z[2 * i], z[2 * i + 1]});
            density[i] = Math.exp(logP0 - logDet);
        }
        double cell = Math.pow(2 * extent / size, 2);
        return new Grid(density, size, extent, cell, (double) reached / n);
    }

    private record Step(double[] output, double[][] jacobians) {
    }

    /** M(z) and the 2x2 Jacobian (row-major j00, j01, j10, j11) of every point: two reverse passes. */
    private static Step jacobians(ShortRunGenerator generator, NDArray z) {
        int n = Math.toIntExact(z.getShape().get(0));
        try (ShortRunGenerator.Trace trace = generator.trace(z, null)) {
            double[] out = trace.output().toType(DataType.FLOAT64, false).toDoubleArray();
            double[][] jac = new double[n][4];
            for (int row = 0; row < 2; row++) {
                float[] e = new float[2 * n];
                for (int i = 0; i < n; i++) {
                    e[2 * i + row] = 1;
                }
                NDArray unit = z.getManager().create(e, new Shape(n, 2)).toType(z.getDataType(), false);
                double[] r = generator.pullback(trace, unit).toType(DataType.FLOAT64, false).toDoubleArray();
                for (int i = 0; i < n; i++) {
                    jac[i][2 * row] = r[2 * i];
                    jac[i][2 * row + 1] = r[2 * i + 1];
                }
            }
            return new Step(out, jac);
        }
    }
}
