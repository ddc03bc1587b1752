package dev.shortrun.model.landscape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The map of a learned energy's landscape: its basins (0-based, in order of discovery, i.e. ascending minimum
 * energy), the barriers measured between them and the disconnectivity tree built from those. Energies are U = -f/T
 * at the training temperature T. This record is what {@code landscape-iter-N.json} holds.
 *
 * @param eps       the training chain's noise, the step of every chain here
 * @param samples   metastable samples mapped
 * @param fromData  of those, how many long-run chains started from data (the rest from p0 noise)
 * @param energies  per sample: U
 * @param attracted basins attraction-diffusion grouped the samples into, before those shallower than
 *                  {@code settings.minDepth()} were merged into deeper ones
 * @param merges    the tree's merges (node ids: basin k is node k, merge m is node basins + m)
 * @param trees     separate trees (1 when every basin is joined to the others by known barriers)
 * @param grid      2D toys: the exact grid reference and how the mapping compares with it; null for images
 * @param seconds   wall-clock time of the whole mapping
 */
public record Landscape(String checkpoint, long iteration, String dataset, double temperature, double eps,
                        LandscapeSettings settings, int samples, int fromData, double[] energies, int attracted,
                        List<Basin> basins,
                        List<Barrier> barriers, List<DisconnectivityTree.Merge> merges, int trees, Grid grid,
                        double seconds) {

    /**
     * A basin.
     *
     * @param minimumSample the sample at its minimum
     * @param position      2D toys: the minimum's (x, y); null for images
     * @param members       the samples grouped into it (its minimum first)
     */
    public record Basin(int index, double minimum, int minimumSample, double[] position, int[] members) {
        public int count() {
            return members.length;
        }
    }

    /**
     * The barrier measured between basins a < b: the lowest highest-U over the AD chains that arrived, in the round
     * at magnetization {@code alpha} that first joined them ({@code null} energy and alpha when no round did);
     * {@code arrived} of that round's {@code tried} chains arrived.
     */
    public record Barrier(int a, int b, Double energy, Double alpha, int arrived, int tried) {
    }

    /**
     * The exact reference of a 2D toy and the comparison ({@link GridLandscape}, {@link GridCheck}).
     *
     * @param size         grid side; the grid spans [-extent, extent]^2
     * @param minDepth     grid minima shallower than this were merged into deeper basins
     * @param gridMinima   grid minima before that merging
     * @param basins       the grid's basins
     * @param merges       the grid's flooding tree (same node ids as the mapping's, over the grid's basins)
     * @param gridOf       per mapped basin: the grid basin its minimum lies in
     * @param pairErrors AD barrier minus the grid's lowest barrier between the pair's grid basins, per measured pair
     * @param mergeErrors  AD tree merge level minus the grid tree's, per AD merge across grid basins
     */
    public record Grid(int size, double extent, double minDepth, int gridMinima, List<GridLandscape.Basin> basins,
                       List<DisconnectivityTree.Merge> merges, int[] gridOf, int found, int split, int missed,
                       double[] pairErrors, double[] mergeErrors) {

        static Grid of(GridLandscape g, GridCheck c) {
            return new Grid(g.grid().size(), g.grid().extent(), g.minDepth(), g.gridMinima(), g.basins(),
                    g.tree().merges(), c.gridOf(), c.found(), c.split(), c.missed(), c.pairErrors(),
                    c.mergeErrors());
        }
    }

    /** The numbers for a tracker, {@code landscape_*} (non-finite ones left out). */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("landscape_basins", (double) basins.size());
        m.put("landscape_basins_attracted", (double) attracted);
        m.put("landscape_samples", (double) samples);
        m.put("landscape_trees", (double) trees);
        m.put("landscape_energy_min", Arrays.stream(energies).min().orElse(Double.NaN));
        m.put("landscape_energy_max", Arrays.stream(energies).max().orElse(Double.NaN));
        m.put("landscape_largest_basin", (double) basins.stream().mapToInt(Basin::count).max().orElse(0));
        double[] heights = merges.stream().mapToDouble(DisconnectivityTree.Merge::height).sorted().toArray();
        if (heights.length > 0) {
            m.put("landscape_barrier_min", heights[0]);
            m.put("landscape_barrier_median", heights[heights.length / 2]);
            m.put("landscape_barrier_max", heights[heights.length - 1]);
        }
        m.put("landscape_barrier_pairs", (double) barriers.size());
        m.put("landscape_barrier_unknown", (double) barriers.stream().filter(b -> b.energy() == null).count());
        if (grid != null) {
            m.put("landscape_grid_basins", (double) grid.basins().size());
            m.put("landscape_grid_found", (double) grid.found());
            m.put("landscape_grid_split", (double) grid.split());
            m.put("landscape_grid_missed", (double) grid.missed());
            m.put("landscape_barrier_error_mean", GridCheck.mean(grid.mergeErrors()));
            m.put("landscape_barrier_error_min", GridCheck.min(grid.mergeErrors()));
            m.put("landscape_barrier_error_max", GridCheck.max(grid.mergeErrors()));
            m.put("landscape_barrier_pair_error_mean", GridCheck.mean(grid.pairErrors()));
            m.put("landscape_barrier_pair_error_min", GridCheck.min(grid.pairErrors()));
            m.put("landscape_barrier_pair_error_max", GridCheck.max(grid.pairErrors()));
        }
        m.put("landscape_seconds", seconds);
        m.values().removeIf(v -> !Double.isFinite(v));
        return m;
    }

    /** One line a person reads: basins, members, barrier heights and, for toys, the grid comparison. */
    public List<String> summary() {
        List<String> lines = new ArrayList<>();
        StringBuilder counts = new StringBuilder();
        for (Basin b : basins) {
            counts.append(counts.length() == 0 ? "" : " ").append(b.count());
        }
        lines.add(String.format(java.util.Locale.ROOT, "%d basins from %d metastable samples (members: %s); "
                + "%d tree%s; AD grouped %d, of which %d were less than %.3g deep", basins.size(), samples, counts,
                trees, trees == 1 ? "" : "s", attracted, attracted - basins.size(), settings.minDepth()));
        Map<String, Double> m = metrics();
        if (m.containsKey("landscape_barrier_min")) {
            lines.add(String.format(java.util.Locale.ROOT, "barriers above the shallower basin: min %.4g, median "
                    + "%.4g, max %.4g (U units); %d pairs measured, %d without a path", m.get("landscape_barrier_min"),
                    m.get("landscape_barrier_median"), m.get("landscape_barrier_max"), barriers.size(),
                    m.get("landscape_barrier_unknown").intValue()));
        }
        if (grid != null) {
            lines.add(String.format(java.util.Locale.ROOT, "grid reference (%dx%d): %d basins (%d grid minima); "
                    + "found %d, split %d, missed %d", grid.size(), grid.size(), grid.basins().size(),
                    grid.gridMinima(), grid.found(), grid.split(), grid.missed()));
            lines.add(String.format(java.util.Locale.ROOT, "barrier error AD - grid: measured pairs %s; tree merges %s",
                    errors(grid.pairErrors()), errors(grid.mergeErrors())));
        }
        return lines;
    }

    private static String errors(double[] e) {
        if (e.length == 0) {
            return "none comparable";
        }
        return String.format(java.util.Locale.ROOT, "mean %+.3f, min %+.3f, max %+.3f over %d", GridCheck.mean(e),
                GridCheck.min(e), GridCheck.max(e), e.length);
    }
}
