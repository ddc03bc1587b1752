package dev.shortrun.model.landscape;

import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.shortrun.model.data.DatasetFormats;
import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.metrics.DensityGrid;
import dev.shortrun.model.metrics.ToyDensityMaps;
import dev.shortrun.model.run.Checkpoint;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.sampling.Temperature;
import dev.shortrun.model.torch.Devices;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.util.Rng;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the energy landscape of a saved checkpoint (Anatomy paper, Sec. 4.4 and Figure 9): metastable samples from
 * long-run chains at the training temperature ({@link MetastableSamples}), grouped into basins by
 * attraction-diffusion from the lowest energy up ({@link BasinGrouping}), barriers between nearby basins
 * ({@link BarrierEstimates}) and the disconnectivity tree they make ({@link DisconnectivityTree}). For 2D toys the
 * exact answer on a grid ({@link GridLandscape}) is computed too and compared ({@link GridCheck}).
 *
 * <p>Writes into {@code outDir}: {@code landscape-iter-N.json} (the {@link Landscape}), {@code landscape-iter-N.png}
 * (the Figure 9 picture: the tree of minimum energies and merge barriers over columns of basin members) and, for
 * toys, {@code landscape-map-iter-N.png} (basins coloured over the learned density, the grid's exact basins outlined,
 * the barrier paths drawn).
 */
public final class LandscapeMapping {
    /** Side of the grid reference for 2D toys: twice the density maps' 200, for saddles within ~0.01 U. */
    public static final int GRID_SIZE = 400;
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .create();

    private LandscapeMapping() {
    }

    /** Progress of a phase ("long-run chains", "quench", "basins", "barriers"): done of total. */
    @FunctionalInterface
    public interface Listener {
        Listener NONE = (phase, done, total) -> { };

        void update(String phase, int done, int total);
    }

    /**
     * What a mapping produced.
     *
     * @param metrics  {@code landscape_*} numbers at the checkpoint's iteration
     * @param tags     {@code landscape_summary}: the mapping in words
     * @param pictures the Figure 9 picture, and the toys' basin map
     */
    public record Outcome(Landscape landscape, Map<String, Double> metrics, Map<String, String> tags, Path json,
                          List<Path> pictures) {
    }

    public static Outcome run(Path checkpointJson, LandscapeSettings settings, Path outDir, Listener listener) {
        Listener progress = listener == null ? Listener.NONE : listener;
        long t0 = System.nanoTime();
        try (NDManager manager = Devices.newManager();
             CheckpointSampler sampler = new CheckpointSampler(checkpointJson, manager)) {
            TrainConfig config = sampler.config();
            boolean toy = config.data().isToy();
            Temperature temperature = Temperature.ofTraining(config.langevin());
            RandomTensors random = new RandomTensors(new Rng(settings.seed()));
            MetastableSamples samples = MetastableSamples.draw(sampler, settings, random, manager, progress);
            AttractionDiffusion ad = new AttractionDiffusion(sampler.net(), temperature,
                    config.langevin().stepSize(), settings);
            BasinGrouping attracted = BasinGrouping.run(samples, ad, settings, manager, random, progress);
            BarrierEstimates measured = BarrierEstimates.run(samples, attracted.minima(), ad, settings, manager,
                    random, progress);
            int[] into = DisconnectivityTree.absorbShallow(minima(samples, attracted), measured.barrier(),
                    settings.minDepth());
            BasinGrouping.Merged merged = attracted.merged(into);
            BasinGrouping grouping = merged.grouping();
            BarrierEstimates barriers = measured.merged(merged.index(), grouping.minima().size());
            DisconnectivityTree tree = DisconnectivityTree.singleLinkage(minima(samples, grouping),
                    barriers.barrier());
            GridLandscape grid = null;
            GridCheck check = null;
            if (toy) {
                grid = gridReference(sampler, config.data().dataset(), temperature, settings.minDepth(), manager);
                check = GridCheck.of(grid, positions(samples, grouping), barriers.pairs(), barriers.barrier(), tree);
            }
            Checkpoint c = sampler.checkpoint();
            Landscape landscape = assemble(checkpointJson, c, config, temperature, settings, samples, grouping,
                    attracted.minima().size(), barriers, tree, grid, check, (System.nanoTime() - t0) / 1e9);
            String base = RunDirectory.iterName(c.iteration());
            Path json = outDir.resolve("landscape-" + base + ".json");
            List<Path> pictures = new ArrayList<>();
            pictures.add(outDir.resolve("landscape-" + base + ".png"));
            LandscapeFigures.tree(pictures.get(0), landscape, tree, samples, settings.seed());
            if (toy) {
                pictures.add(outDir.resolve("landscape-map-" + base + ".png"));
                LandscapeFigures.map(pictures.get(1), landscape, grid, samples, grouping, barriers, temperature,
                        sampler.net(), manager);
            }
            try {
                AtomicFiles.writeString(json, GSON.toJson(landscape) + "\n");
            } catch (IOException e) {
                throw AtomicFiles.unchecked(e);
            }
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put("landscape_summary", String.join("; ", landscape.summary()));
            return new Outcome(landscape, landscape.metrics(), tags, json, pictures);
        }
    }

    /** U = -f/T on the toy's window at {@link #GRID_SIZE}^2 points, and its exact basins and barriers. */
    static GridLandscape gridReference(CheckpointSampler sampler, String toy, Temperature temperature, double depth,
                                       NDManager manager) {
        DensityGrid window = new DensityGrid(DatasetFormats.toy(toy).extent(), GRID_SIZE);
        double[] u = ToyDensityMaps.logDensity(sampler.net(), window, -1.0 / temperature.value(), manager);
        return GridLandscape.of(window, u, depth);
    }

    private static double[] minima(MetastableSamples samples, BasinGrouping grouping) {
        return grouping.minima().stream().mapToDouble(i -> samples.energies()[i]).toArray();
    }

    /** Per basin: its minimum's (x, y). */
    private static double[][] positions(MetastableSamples samples, BasinGrouping grouping) {
        return grouping.minima().stream().map(i -> new double[] {samples.states()[i][0], samples.states()[i][1]})
                .toArray(double[][]::new);
    }

    private static Landscape assemble(Path json, Checkpoint c, TrainConfig config, Temperature temperature,
                                      LandscapeSettings settings, MetastableSamples samples, BasinGrouping grouping,
                                      int attracted, BarrierEstimates barriers, DisconnectivityTree tree,
                                      GridLandscape grid, GridCheck check, double seconds) {
        boolean toy = config.data().isToy();
        List<Landscape.Basin> basins = new ArrayList<>();
        for (int b = 0; b < grouping.minima().size(); b++) {
            int min = grouping.minima().get(b);
            List<Integer> members = new ArrayList<>();
            members.add(min);
            for (int s = 0; s < samples.energies().length; s++) {
                if (grouping.basinOfSample()[s] == b && s != min) {
                    members.add(s);
                }
            }
            double[] position = toy ? new double[] {samples.states()[min][0], samples.states()[min][1]} : null;
            basins.add(new Landscape.Basin(b, samples.energies()[min], min, position,
                    members.stream().mapToInt(Integer::intValue).toArray()));
        }
        List<Landscape.Barrier> measured = new ArrayList<>();
        for (int k = 0; k < barriers.pairs().size(); k++) {
            int[] p = barriers.pairs().get(k);
            double e = barriers.barrier()[p[0]][p[1]];
            double alpha = barriers.alpha()[k];
            measured.add(new Landscape.Barrier(p[0], p[1], Double.isFinite(e) ? e : null,
                    Double.isNaN(alpha) ? null : alpha, barriers.arrived()[k], barriers.tried()));
        }
        double eps = Math.sqrt(2 * config.langevin().stepSize() * temperature.value());
        return new Landscape(json.toString(), c.iteration(), config.data().dataset(), temperature.value(), eps,
                settings, samples.energies().length, samples.fromData(), samples.energies(), attracted, basins,
                measured, tree.merges(), tree.components(), grid == null ? null : Landscape.Grid.of(grid, check),
                seconds);
    }
}
