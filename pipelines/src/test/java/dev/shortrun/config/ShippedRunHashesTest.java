package dev.shortrun.config;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.shortrun.steps.RunSpec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pins the runs every shipped pipeline and sweep resolves to (and a few variants with steps and overrides): their
 * names, hashes and every resolved param. The expected file was written by the resolver before the settings were
 * declared in one place (commit bb83804), so this proves the restructuring kept every run's name and params; a
 * deliberate change to a run's settings updates the file in the same commit, with the reason.
 */
class ShippedRunHashesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyShippedSpecResolvesToTheSameRunsAsBefore() throws IOException {
        SpecLoader loader = new SpecLoader(Map.of(), ROOT);
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/shipped-runs.jsonl"));
        assertTrue(lines.size() >= 40, "expected file has every shipped run");
        for (String line : lines) {
            JsonObject expected = new Gson().fromJson(line, JsonObject.class);
            String spec = expected.get("spec").getAsString();
            List<CommandLineValue> sets = new ArrayList<>();
            if (expected.has("set")) {
                for (JsonElement set : expected.getAsJsonArray("set")) {
                    sets.add(CommandLineValue.set(set.getAsString()));
                }
            }
            List<RunSpec> runs = spec.startsWith("sweeps/") ? loader.loadSweep(ROOT.resolve(spec), sets).points()
                    : loader.loadPipeline(ROOT.resolve(spec), sets);
            String runName = expected.get("run").getAsString();
            RunSpec run = runs.stream().filter(r -> r.runName().equals(runName)).findFirst().orElseThrow(
                    () -> new AssertionError(spec + " " + sets + ": no run " + runName + " among "
                            + runs.stream().map(RunSpec::runName).toList()));
            assertEquals(expected.get("hash").getAsString(), run.specHash(), spec + " " + runName);
            SortedMap<String, String> expectedParams = new TreeMap<>();
            expected.getAsJsonObject("params").entrySet().forEach(e -> expectedParams.put(e.getKey(),
                    e.getValue().getAsString()));
            assertEquals(expectedParams, relative(run.params()), spec + " " + sets + " " + runName + ": params");
        }
    }

    /** Absolute paths as the expected file holds them: relative to the repository root. */
    private static SortedMap<String, String> relative(SortedMap<String, String> params) {
        SortedMap<String, String> out = new TreeMap<>();
        params.forEach((k, v) -> out.put(k, v.startsWith("/") ? ROOT.relativize(Path.of(v)).toString() : v));
        return out;
    }
}
