package dev.shortrun.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.shortrun.cli.CliEndToEndTest.Outcome;
import dev.shortrun.model.run.RunState;
import dev.shortrun.model.run.RunStateFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * The {@code landscape} step in a pipeline on a tiny gmm run: it maps the last checkpoint only, writes the Figure 9
 * picture, the basin map and the JSON into {@code RUN/landscape/}, logs its metrics, summary tag and artifacts to the
 * run's record, and a second run of the pipeline reuses the finished mapping instead of computing it again.
 */
class LandscapePipelineTest {
    private static final List<String> FILES = List.of("landscape-iter-000006.json", "landscape-iter-000006.png",
            "landscape-map-iter-000006.png");

    @Test
    void mapsTheLastCheckpointLogsItAndReusesItOnASecondRun(@TempDir Path tmp) throws IOException {
        Path spec = tmp.resolve("basins.yaml");
        Files.writeString(spec, String.join("\n",
                "name: basins",
                "dataset: {name: gmm}",
                "model: {n_f: 8}",
                "sampler: {K: 5}",
                "learner: {iterations: 6, batch: 32, lr: 1.0e-3}",
                "checkpoints: {every: 3, grid_every: 3}",
                "steps: [landscape]",
                "landscape: {samples: 12, chain_steps: 20, quench_steps: 20, trials: 1, barrier_rounds: 1, batch: 64}",
                "resources: {parallelism: 1, threads_per_worker: 1}",
                ""));
        Path out = tmp.resolve("out");
        Outcome first = StepReuseTest.run(spec, out);
        Path runDir = StepReuseTest.onlyRun(out, "basins");
        Path tracking = out.resolve("basins/tracking").resolve(runDir.getFileName());
        assertEquals(List.of("landscape-iter-000006.json"), StepReuseTest.names(runDir.resolve("steps")),
                "the last checkpoint only");
        for (String file : FILES) {
            Path made = runDir.resolve("landscape").resolve(file);
            assertTrue(Files.isRegularFile(made), file);
            assertTrue(Files.isRegularFile(tracking.resolve("artifacts/landscape").resolve(file)), "artifact " + file);
            if (file.endsWith(".png")) {
                assertNotNull(ImageIO.read(made.toFile()), file);
            }
        }
        JsonObject map = JsonParser.parseString(Files.readString(runDir.resolve("landscape")
                .resolve(FILES.get(0)))).getAsJsonObject();
        assertEquals(12, map.getAsJsonArray("energies").size(), "landscape.samples reached the mapping");
        int basins = map.getAsJsonArray("basins").size();
        Map<String, Double> logged = metrics(tracking.resolve("metrics.csv"));
        assertEquals((double) basins, logged.get("6,landscape_basins"), logged.toString());
        assertEquals(12.0, logged.get("6,landscape_samples"));
        assertTrue(logged.containsKey("6,landscape_grid_basins"), "a toy is compared with its grid: " + logged);
        assertEquals(map.get("trees").getAsDouble(), logged.get("6,landscape_trees"));
        // barrier metrics are the tree's merge heights: logged exactly when there is a merge (this 6-iteration model,
        // mapped with test-sized chains, may have none; LandscapeMappingTest checks barriers on a trained toy)
        boolean merged = map.getAsJsonArray("merges").size() > 0;
        assertEquals(merged, logged.containsKey("6,landscape_barrier_min"), logged.toString());
        if (merged) {
            assertTrue(logged.get("6,landscape_barrier_min") <= logged.get("6,landscape_barrier_median")
                    && logged.get("6,landscape_barrier_median") <= logged.get("6,landscape_barrier_max"),
                    logged.toString());
        }
        assertTrue(Files.readString(tracking.resolve("tags.json")).contains(basins + " basins from 12 metastable"));
        // the mapping reports its phases into the run's state (the command's progress lines and `status` read it);
        // the run ends FINISHED once its last step is done
        assertEquals(RunState.FINISHED, RunStateFile.read(runDir).orElseThrow().status(), first.err());
        assertFalse(first.err().contains("finished earlier"), first.err());

        String json = Files.readString(runDir.resolve("landscape").resolve(FILES.get(0)));
        String csv = Files.readString(tracking.resolve("metrics.csv"));
        Outcome second = StepReuseTest.run(spec, out);
        assertTrue(second.err().contains("landscape iter 6: finished earlier, reusing"), second.err());
        assertEquals(json, Files.readString(runDir.resolve("landscape").resolve(FILES.get(0))), "not mapped again");
        assertEquals(csv, Files.readString(tracking.resolve("metrics.csv")), "nothing logged twice");
    }

    /** Local tracking rows are step,key,value,timestamp: "step,key" to value. */
    private static Map<String, Double> metrics(Path csv) throws IOException {
        Map<String, Double> m = new TreeMap<>();
        List<String> lines = new ArrayList<>(Files.readAllLines(csv));
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            m.put(f[0] + "," + f[1], Double.parseDouble(f[2]));
        }
        return m;
    }
}
