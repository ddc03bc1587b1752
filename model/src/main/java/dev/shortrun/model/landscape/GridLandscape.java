package dev.shortrun.model.landscape;

import dev.shortrun.model.metrics.DensityGrid;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The exact landscape of a 2D energy sampled on a grid, the reference that attraction-diffusion must reproduce on the
 * toys: every cell descends to its lowest lower neighbour (8-neighbourhood) until a cell has none, its basin's
 * minimum; the barrier between two basins is found by flooding, raising a water level through the cells in ascending
 * energy until the two basins' pools touch (the lowest saddle over all paths between them).
 *
 * <p>A learned energy has ripples a grid resolves and a sampler at a finite temperature does not see. Basins shallower
 * than {@code minDepth} (their pool joins a deeper one less than {@code minDepth} above their own minimum) are
 * therefore merged into that deeper basin (persistence simplification; 0 keeps every grid minimum).
 *
 * @param energy      U at every cell of {@code grid}, in its cell order
 * @param basinOfCell per cell: the basin (index into {@code basins}) it descends to
 * @param basins      ascending in minimum energy
 * @param tree        the flooding merges between the basins
 * @param saddles     per pair of basins: the lowest max(U) over two neighbouring cells, one in each; +infinity
 *                    when the basins do not touch (their barrier then runs over other basins, see {@code tree})
 * @param gridMinima  local minima of the grid before shallow ones were merged
 */
public record GridLandscape(DensityGrid grid, double[] energy, double minDepth, int[] basinOfCell,
                            List<Basin> basins, DisconnectivityTree tree, double[][] saddles, int gridMinima) {

    /**
     * A basin's minimum: its cell and position, U there, its size in cells, and whether it lies on the grid's edge
     * (then the energy may keep falling outside the window).
     */
    public record Basin(int cell, double x, double y, double minimum, int cells, boolean atEdge) {
    }

    /** Maps the landscape of {@code energy} (one value per cell of {@code grid}, cell order). */
    public static GridLandscape of(DensityGrid grid, double[] energy, double minDepth) {
        if (energy.length != grid.cells()) {
            throw new IllegalArgumentException("a " + grid.size() + "x" + grid.size() + " grid needs " + grid.cells()
                    + " energies, got " + energy.length);
        }
        if (!(minDepth >= 0) || !Double.isFinite(minDepth)) {
            throw new IllegalArgumentException("minimum basin depth must be >= 0, got " + minDepth);
        }
        for (double u : energy) {
            if (Double.isNaN(u)) {
                throw new IllegalArgumentException("the energy is NaN on the grid");
            }
        }
        return new Flooding(grid, energy, minDepth).run();
    }

    /** The cell nearest to (x, y) (points outside the window go to its edge). */
    public int cellAt(double x, double y) {
        return index(y) * grid.size() + index(x);
    }

    private int index(double v) {
        double step = 2 * grid.extent() / (grid.size() - 1);
        return (int) Math.max(0, Math.min(grid.size() - 1, Math.round((v + grid.extent()) / step)));
    }

    /** The basin the point (x, y) descends to on the grid. */
    public int basinAt(double x, double y) {
        return basinOfCell[cellAt(x, y)];
    }

    /** Basins whose minimum lies inside the window (not on its edge). */
    public long interiorBasins() {
        return basins.stream().filter(b -> !b.atEdge()).count();
    }

    /** Steepest descent labels, then flooding in ascending energy with the elder rule for merges. */
    private static final class Flooding {
        private final DensityGrid grid;
        private final double[] u;
        private final double minDepth;
        private final int size;

        Flooding(DensityGrid grid, double[] u, double minDepth) {
            this.grid = grid;
            this.u = u;
            this.minDepth = minDepth;
            this.size = grid.size();
        }

        /** Cells before cell b in flooding order: lower energy, ties by index (so plateaus are well-defined). */
        private boolean before(int a, int b) {
            return u[a] < u[b] || (u[a] == u[b] && a < b);
        }

        /** Writes the cells around {@code c} into {@code out} (room for 8) and returns how many there are. */
        private int neighbours(int c, int[] out) {
            int ix = c % size, iy = c / size;
            int n = 0;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int x = ix + dx, y = iy + dy;
                    if ((dx != 0 || dy != 0) && x >= 0 && y >= 0 && x < size && y < size) {
                        out[n++] = y * size + x;
                    }
                }
            }
            return n;
        }

        GridLandscape run() {
            int cells = u.length;
            int[] down = new int[cells]; // the lowest neighbour before the cell, or -1 at a grid minimum
            int[] around = new int[8];
            for (int c = 0; c < cells; c++) {
                int best = -1;
                for (int k = neighbours(c, around) - 1; k >= 0; k--) {
                    int nb = around[k];
                    if (before(nb, c) && (best < 0 || before(nb, best))) {
                        best = nb;
                    }
                }
                down[c] = best;
            }
            Integer[] order = IntStream.range(0, cells).boxed().toArray(Integer[]::new);
            Arrays.sort(order, (a, b) -> a.equals(b) ? 0 : before(a, b) ? -1 : 1);
            int[] parent = new int[cells]; // union-find over flooded cells
            int[] eldest = new int[cells]; // per root: the lowest grid minimum in its pool
            int[] absorbedInto = new int[cells]; // per grid minimum: the deeper minimum it was merged into, or -1
            Arrays.fill(absorbedInto, -1);
            boolean[] flooded = new boolean[cells];
            List<double[]> merges = new ArrayList<>(); // {elder minimum, younger minimum, level}
            int gridMinima = 0;
            for (int c : order) {
                flooded[c] = true;
                parent[c] = c;
                eldest[c] = c;
                if (down[c] < 0) {
                    gridMinima++;
                } else {
                    parent[c] = DisconnectivityTree.root(parent, down[c]); // a slope cell joins the pool it drains into
                }
                for (int k = neighbours(c, around) - 1; k >= 0; k--) {
                    int nb = around[k];
                    if (!flooded[nb]) {
                        continue;
                    }
                    int ra = DisconnectivityTree.root(parent, c), rb = DisconnectivityTree.root(parent, nb);
                    if (ra == rb) {
                        continue;
                    }
                    int a = eldest[ra], b = eldest[rb];
                    int elder = before(a, b) ? a : b, younger = elder == a ? b : a;
                    if (u[c] - u[younger] < minDepth) {
                        absorbedInto[younger] = elder;
                    } else {
                        merges.add(new double[] {elder, younger, u[c]});
                    }
                    int keep = elder == a ? ra : rb, gone = keep == ra ? rb : ra;
                    parent[gone] = keep;
                    eldest[keep] = elder;
                }
            }
            return assemble(down, absorbedInto, merges, gridMinima);
        }

        private GridLandscape assemble(int[] down, int[] absorbedInto, List<double[]> merges, int gridMinima) {
            int cells = u.length;
            List<Integer> kept = new ArrayList<>();
            for (int c = 0; c < cells; c++) {
                if (down[c] < 0 && absorbedInto[c] < 0) {
                    kept.add(c);
                }
            }
            kept.sort(Comparator.comparingDouble((Integer c) -> u[c]).thenComparingInt(c -> c));
            int[] basinOfMinimum = new int[cells];
            Arrays.fill(basinOfMinimum, -1);
            for (int i = 0; i < kept.size(); i++) {
                basinOfMinimum[kept.get(i)] = i;
            }
            int[] label = new int[cells];
            Arrays.fill(label, -1);
            int[] counts = new int[kept.size()];
            for (int c = 0; c < cells; c++) {
                label[c] = labelOf(c, down, absorbedInto, basinOfMinimum, label);
                counts[label[c]]++;
            }
            double[] minima = new double[kept.size()];
            List<Basin> basins = new ArrayList<>();
            for (int i = 0; i < kept.size(); i++) {
                int c = kept.get(i);
                int ix = c % size, iy = c / size;
                minima[i] = u[c];
                basins.add(new Basin(c, grid.coordinate(ix), grid.coordinate(iy), u[c], counts[i],
                        ix == 0 || iy == 0 || ix == size - 1 || iy == size - 1));
            }
            DisconnectivityTree.Builder tree = new DisconnectivityTree.Builder(minima);
            for (double[] m : merges) {
                tree.join(basinOfMinimum[(int) m[0]], basinOfMinimum[(int) m[1]], m[2]);
            }
            return new GridLandscape(grid, u, minDepth, label, basins, tree.build(), saddles(label, kept.size()),
                    gridMinima);
        }

        /** Follows the descent to a grid minimum, then its merges into deeper minima, memoising every cell passed. */
        private int labelOf(int c, int[] down, int[] absorbedInto, int[] basinOfMinimum, int[] label) {
            List<Integer> path = new ArrayList<>();
            int at = c;
            while (label[at] < 0 && down[at] >= 0) {
                path.add(at);
                at = down[at];
            }
            int result = label[at];
            if (result < 0) {
                int m = at;
                while (absorbedInto[m] >= 0) {
                    m = absorbedInto[m];
                }
                result = basinOfMinimum[m];
            }
            for (int p : path) {
                label[p] = result;
            }
            return result;
        }

        private double[][] saddles(int[] label, int n) {
            double[][] s = new double[n][n];
            for (double[] row : s) {
                Arrays.fill(row, Double.POSITIVE_INFINITY);
            }
            int[] around = new int[8];
            for (int c = 0; c < u.length; c++) {
                for (int k = neighbours(c, around) - 1; k >= 0; k--) {
                    int nb = around[k];
                    int a = label[c], b = label[nb];
                    if (nb > c && a != b) {
                        double level = Math.max(u[c], u[nb]);
                        if (level < s[a][b]) {
                            s[a][b] = level;
                            s[b][a] = level;
                        }
                    }
                }
            }
            return s;
        }
    }
}
