package dev.shortrun.model.landscape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Attraction-diffusion's map of a 2D energy against the exact one on a grid ({@link GridLandscape}): which grid basin
 * each AD basin's minimum descends to, how many grid basins AD found, missed or split, and the barrier errors (AD
 * minus grid, U units) for every measured pair and for the disconnectivity tree's merges. AD's barriers are highest
 * energies on real paths, and no path between two basins stays below the grid's flooding level between them, so the
 * errors should be >= 0 up to the chains' step and the grid's spacing.
 *
 * @param gridBasins      basins of the grid reference (after merging those shallower than its minimum depth)
 * @param interiorBasins  of those, the ones whose minimum is not on the window's edge
 * @param gridOf          per AD basin: the grid basin its minimum lies in
 * @param found           grid basins that hold at least one AD basin
 * @param split           grid basins that hold more than one AD basin
 * @param pairErrors      per AD-measured pair of basins in different grid basins: its AD barrier minus the grid's
 *                        lowest barrier (flooding level) between those grid basins
 * @param mergeErrors     per merge of the AD tree whose two groups lie in different grid basins: the merge level
 *                        minus the grid tree's lowest merge level between those grid basins
 */
public record GridCheck(int gridBasins, long interiorBasins, int[] gridOf, int found, int split,
                        double[] pairErrors, double[] mergeErrors) {

    /**
     * @param adMinima per AD basin: its minimum as (x, y)
     * @param pairs    AD-measured pairs {i, j}
     * @param barrier  AD barrier per pair of AD basins (+infinity unknown)
     * @param tree     the AD disconnectivity tree
     */
    public static GridCheck of(GridLandscape grid, double[][] adMinima, List<int[]> pairs, double[][] barrier,
                               DisconnectivityTree tree) {
        int n = adMinima.length;
        int[] gridOf = new int[n];
        int[] hits = new int[grid.basins().size()];
        for (int i = 0; i < n; i++) {
            gridOf[i] = grid.basinAt(adMinima[i][0], adMinima[i][1]);
            hits[gridOf[i]]++;
        }
        int found = 0, split = 0;
        for (int h : hits) {
            found += h > 0 ? 1 : 0;
            split += h > 1 ? 1 : 0;
        }
        List<Double> pairErrors = new ArrayList<>();
        for (int[] p : pairs) {
            double level = grid.tree().barrier(gridOf[p[0]], gridOf[p[1]]);
            if (gridOf[p[0]] != gridOf[p[1]] && Double.isFinite(level) && Double.isFinite(barrier[p[0]][p[1]])) {
                pairErrors.add(barrier[p[0]][p[1]] - level);
            }
        }
        List<Double> merges = new ArrayList<>();
        List<List<Integer>> members = leaves(tree);
        for (DisconnectivityTree.Merge m : tree.merges()) {
            double gridLevel = Double.POSITIVE_INFINITY;
            for (int a : members.get(m.left())) {
                for (int b : members.get(m.right())) {
                    gridLevel = Math.min(gridLevel, gridOf[a] == gridOf[b] ? Double.NEGATIVE_INFINITY
                            : grid.tree().barrier(gridOf[a], gridOf[b]));
                }
            }
            if (Double.isFinite(gridLevel)) { // -infinity: both groups hold a piece of one grid basin (a split)
                merges.add(m.level() - gridLevel);
            }
        }
        return new GridCheck(grid.basins().size(), grid.interiorBasins(), gridOf, found, split,
                pairErrors.stream().mapToDouble(Double::doubleValue).toArray(),
                merges.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Per tree node: the basins under it. */
    private static List<List<Integer>> leaves(DisconnectivityTree tree) {
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < tree.basins(); i++) {
            out.add(List.of(i));
        }
        for (DisconnectivityTree.Merge m : tree.merges()) {
            List<Integer> both = new ArrayList<>(out.get(m.left()));
            both.addAll(out.get(m.right()));
            out.add(both);
        }
        return out;
    }

    /** Grid basins AD did not find. */
    public int missed() {
        return gridBasins - found;
    }

    public static double mean(double[] v) {
        return v.length == 0 ? Double.NaN : Arrays.stream(v).average().orElse(Double.NaN);
    }

    public static double max(double[] v) {
        return v.length == 0 ? Double.NaN : Arrays.stream(v).max().orElse(Double.NaN);
    }

    public static double min(double[] v) {
        return v.length == 0 ? Double.NaN : Arrays.stream(v).min().orElse(Double.NaN);
    }
}
