package dev.shortrun.model.landscape;

import ai.djl.ndarray.NDManager;
import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.io.BasinMap;
import dev.shortrun.model.io.DisconnectivityPlot;
import dev.shortrun.model.io.ImageGrid;
import dev.shortrun.model.io.Png;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.metrics.DensityGrid;
import dev.shortrun.model.metrics.ToyDensityMaps;
import dev.shortrun.model.nets.EnergyNet;
import dev.shortrun.model.sampling.Temperature;
import dev.shortrun.model.util.Rng;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The pictures of a landscape mapping: the Figure 9 disconnectivity graph and, for 2D toys, the basin map. */
final class LandscapeFigures {
    /** Side of the basin map in pixels (the grid reference is {@link LandscapeMapping#GRID_SIZE} cells a side). */
    static final int MAP_PIXELS = 600;
    /** Learned densities are drawn on a log scale down to this fraction of a cell's mass. */
    private static final double LOG_FLOOR = 1e-9;

    private LandscapeFigures() {
    }

    /**
     * The Anatomy paper's Figure 9: per basin a column (its minimum's energy at the bottom of its line, a circle
     * growing with its members, up to {@code shown} randomly chosen members below, its minimum first), joined at the
     * lowest known barriers.
     */
    static void tree(Path png, Landscape landscape, DisconnectivityTree tree, MetastableSamples samples, long seed) {
        List<DisconnectivityPlot.Join> joins = tree.merges().stream()
                .map(m -> new DisconnectivityPlot.Join(m.left(), m.right(), m.level())).toList();
        int[] counts = landscape.basins().stream().mapToInt(Landscape.Basin::count).toArray();
        List<BufferedImage> columns = samples.exampleShape().length == 3
                ? memberColumns(landscape, samples, new Rng(seed)) : null;
        String title = String.format(Locale.ROOT, "%d basins of %s, iteration %d (%d samples)",
                landscape.basins().size(), landscape.dataset(), landscape.iteration(), landscape.samples());
        try {
            Png.write(png, DisconnectivityPlot.render(title, "U = -f/T", tree.minima(), joins, tree.leafOrder(),
                    counts, columns));
        } catch (IOException e) {
            throw AtomicFiles.unchecked(e);
        }
    }

    /** Per basin: its minimum and randomly chosen other members, one image per row. */
    private static List<BufferedImage> memberColumns(Landscape landscape, MetastableSamples samples, Rng rng) {
        int shown = landscape.settings().shown();
        long[] shape = samples.exampleShape();
        int per = samples.states()[0].length;
        List<BufferedImage> columns = new ArrayList<>();
        for (Landscape.Basin b : landscape.basins()) {
            int[] members = b.members().clone();
            for (int i = members.length - 1; i > 1; i--) { // shuffle all but the minimum (Fisher-Yates)
                int j = 1 + rng.nextInt(i);
                int t = members[i];
                members[i] = members[j];
                members[j] = t;
            }
            int k = Math.min(shown, members.length);
            float[] data = new float[k * per];
            for (int i = 0; i < k; i++) {
                System.arraycopy(samples.states()[members[i]], 0, data, i * per, per);
            }
            columns.add(ImageGrid.render(new Tensor(new long[] {k, shape[0], shape[1], shape[2]}, data), 1));
        }
        return columns;
    }

    /**
     * The toys' basin map: the learned density exp(-U) (log scale) with the grid's exact basins outlined in white,
     * every metastable sample coloured by its basin, the basins' minima numbered, and the barrier chains' paths in
     * black with their highest point crossed.
     */
    static void map(Path png, Landscape landscape, GridLandscape grid, MetastableSamples samples,
                    BasinGrouping grouping, BarrierEstimates barriers, Temperature temperature, EnergyNet net,
                    NDManager manager) {
        DensityGrid window = grid.grid();
        double[] density = DensityGrid.fromLogDensity(ToyDensityMaps.logDensity(net, window,
                1.0 / temperature.value(), manager));
        int n = samples.states().length;
        float[] points = new float[2 * n];
        for (int i = 0; i < n; i++) {
            points[2 * i] = samples.states()[i][0];
            points[2 * i + 1] = samples.states()[i][1];
        }
        float[] minima = new float[2 * grouping.minima().size()];
        for (int b = 0; b < grouping.minima().size(); b++) {
            minima[2 * b] = samples.states()[grouping.minima().get(b)][0];
            minima[2 * b + 1] = samples.states()[grouping.minima().get(b)][1];
        }
        List<float[]> paths = new ArrayList<>();
        List<float[]> peaks = new ArrayList<>();
        for (int k = 0; k < barriers.paths().size(); k++) {
            if (barriers.paths().get(k) != null) {
                paths.add(barriers.paths().get(k));
                peaks.add(barriers.peaks().get(k));
            }
        }
        float[] peakXy = new float[2 * peaks.size()];
        for (int k = 0; k < peaks.size(); k++) {
            peakXy[2 * k] = peaks.get(k)[0];
            peakXy[2 * k + 1] = peaks.get(k)[1];
        }
        Landscape.Grid g = landscape.grid();
        String title = String.format(Locale.ROOT, "%s iter %d: %d AD basins, %d exact (white); barrier paths",
                landscape.dataset(), landscape.iteration(), landscape.basins().size(), g.basins().size());
        BasinMap.Overlay overlay = new BasinMap.Overlay(grid.basinOfCell(), points, grouping.basinOfSample(), minima,
                paths, peakXy);
        try {
            Png.write(png, BasinMap.render(title, density, window.size(), window.extent(), true, LOG_FLOOR, overlay,
                    MAP_PIXELS));
        } catch (IOException e) {
            throw AtomicFiles.unchecked(e);
        }
    }
}
