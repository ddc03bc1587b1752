package dev.shortrun.model.metrics;

import java.util.stream.IntStream;

/**
 * S = L L^T for a symmetric positive semi-definite S, with diagonal pivoting so that a singular S (fewer samples
 * than dimensions, constant features) yields a d x r factor of its numerical rank r instead of failing. Stops, as
 * LAPACK's dpstrf, when the largest remaining pivot is below d * 2^-52 * max(diag S).
 */
final class PivotedCholesky {
    private final double[] factor;
    private final int rank;

    private PivotedCholesky(double[] factor, int rank) {
        this.factor = factor;
        this.rank = rank;
    }

    int rank() {
        return rank;
    }

    /** The d x r factor, row-major, rows in the original (unpivoted) order. */
    double[] factor() {
        return factor;
    }

    static PivotedCholesky of(double[] s, int d) {
        double[] residual = new double[d];
        double maxDiag = 0;
        for (int i = 0; i < d; i++) {
            residual[i] = s[i * d + i];
            maxDiag = Math.max(maxDiag, residual[i]);
        }
        double tolerance = d * Math.ulp(1.0) * maxDiag;
        double[][] rows = new double[d][d]; // rows[i][j] = L(i, j), column j = j-th pivot
        boolean[] used = new boolean[d];
        int r = 0;
        for (; r < d; r++) {
            int pivot = -1;
            double best = tolerance;
            for (int i = 0; i < d; i++) {
                if (!used[i] && residual[i] > best) {
                    best = residual[i];
                    pivot = i;
                }
            }
            if (pivot < 0) {
                break;
            }
            used[pivot] = true;
            double root = Math.sqrt(residual[pivot]);
            double[] pivotRow = rows[pivot];
            int column = r;
            int p = pivot;
            IntStream.range(0, d).parallel().filter(i -> !used[i]).forEach(i -> {
                double[] row = rows[i];
                double v = s[i * d + p];
                for (int j = 0; j < column; j++) {
                    v -= row[j] * pivotRow[j];
                }
                row[column] = v / root;
            });
            pivotRow[column] = root;
            for (int i = 0; i < d; i++) {
                if (!used[i]) {
                    residual[i] -= rows[i][column] * rows[i][column];
                }
            }
        }
        double[] l = new double[d * r];
        for (int i = 0; i < d; i++) {
            System.arraycopy(rows[i], 0, l, i * r, r);
        }
        return new PivotedCholesky(l, r);
    }
}
