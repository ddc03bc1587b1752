package dev.shortrun.model.generator;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.sampling.Initializer;

/**
 * The deterministic chain as a flow (reply to reviewers): {@code log p(x) = log p0(z) - log |det dM(z)/dz|} with
 * z = M^-1(x) found by reconstruction. The Jacobian is exact: its D rows {@code e_j^T J} are D reverse passes
 * ({@link ShortRunGenerator#pullback}), run as one batch of D copies of z.
 */
public final class FlowLikelihood {
    private FlowLikelihood() {
    }

    /** One example's numbers: nats in model space ([-1, 1] pixels) and bits per dimension on the 0..255 scale. */
    public record Result(double logPrior, double logAbsDet, double logLikelihood, double bitsPerDim) {
    }

    /** The exact Jacobian dM/dz at one example z (shape (1, ...)), as a D x D matrix in double. */
    public static double[][] jacobian(ShortRunGenerator generator, NDArray z) {
        int d = Math.toIntExact(z.size());
        if (generator.hessianVanishes()) { // LeakyReLU: dM/dz = I almost everywhere, no chain needed
            double[][] identity = new double[d][d];
            for (int i = 0; i < d; i++) {
                identity[i][i] = 1;
            }
            return identity;
        }
        try (NDManager scope = z.getManager().newSubManager()) {
            Shape example = z.getShape().slice(1);
            NDArray copies = z.reshape(1, d).repeat(0, d).reshape(new Shape(d).addAll(example));
            copies.attach(scope);
            NDArray eye = scope.eye(d).toType(z.getDataType(), false).reshape(new Shape(d).addAll(example));
            try (ShortRunGenerator.Trace trace = generator.trace(copies, null)) {
                double[] rows = generator.pullback(trace, eye).toType(DataType.FLOAT64, false).toDoubleArray();
                double[][] j = new double[d][d];
                for (int r = 0; r < d; r++) {
                    System.arraycopy(rows, r * d, j[r], 0, d);
                }
                return j;
            }
        }
    }

    /** log |det m| by LU decomposition with partial pivoting (m is overwritten); -inf for a singular matrix. */
    public static double logAbsDet(double[][] m) {
        int n = m.length;
        double sum = 0;
        for (int c = 0; c < n; c++) {
            int pivot = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[pivot][c])) {
                    pivot = r;
                }
            }
            if (m[pivot][c] == 0) {
                return Double.NEGATIVE_INFINITY;
            }
            double[] swap = m[c];
            m[c] = m[pivot];
            m[pivot] = swap;
            double diag = m[c][c];
            sum += Math.log(Math.abs(diag));
            for (int r = c + 1; r < n; r++) {
                double factor = m[r][c] / diag;
                if (factor != 0) {
                    double[] row = m[r];
                    double[] top = m[c];
                    for (int k = c + 1; k < n; k++) {
                        row[k] -= factor * top[k];
                    }
                }
            }
        }
        return sum;
    }

    /** log p0(z): uniform on [-s, s]^D is -D log(2s) inside the cube (-inf outside); gaussian s N(0, I). */
    public static double logPrior(Initializer init, double[] z) {
        double s = init.scale();
        return switch (init.kind()) {
            case UNIFORM -> {
                for (double v : z) {
                    if (Math.abs(v) > s) {
                        yield Double.NEGATIVE_INFINITY;
                    }
                }
                yield -z.length * Math.log(2 * s);
            }
            case GAUSSIAN -> {
                double q = 0;
                for (double v : z) {
                    q += v * v;
                }
                yield -0.5 * q / (s * s) - z.length * (Math.log(s) + 0.5 * Math.log(2 * Math.PI));
            }
            case LOWRES, DATA, PERSISTENT -> throw new IllegalArgumentException("a " + init.kind()
                    .name().toLowerCase(java.util.Locale.ROOT) + " p0 has no closed-form density over z; the flow "
                    + "likelihood needs a uniform or gaussian p0");
        };
    }

    /** log p(x) at x = M(z) for one example z (shape (1, ...)). */
    public static Result at(ShortRunGenerator generator, Initializer p0, NDArray z) {
        double[] zz = z.toType(DataType.FLOAT64, false).toDoubleArray();
        double logDet = logAbsDet(jacobian(generator, z));
        double logPrior = logPrior(p0, zz);
        double logP = logPrior - logDet;
        int d = zz.length;
        // pixels in [-1, 1] are (v + 1) * 127.5 on the 0..255 scale: log p there is log p - D log 127.5
        double bits = -(logP - d * Math.log(127.5)) / (d * Math.log(2));
        return new Result(logPrior, logDet, logP, bits);
    }
}
