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
            String runName = expected.has("root") ? locatedHere(expected.get("run").getAsString(), runs)
                    : expected.get("run").getAsString();
            RunSpec run = runs.stream().filter(r -> r.runName().equals(runName)).findFirst().orElseThrow(
                    () -> new AssertionError(spec + " " + sets + ": no run " + runName + " among "
                            + runs.stream().map(RunSpec::runName).toList()));
            SortedMap<String, String> expectedParams = new TreeMap<>();
            expected.getAsJsonObject("params").entrySet().forEach(e -> expectedParams.put(e.getKey(),
                    e.getValue().getAsString()));
            assertEquals(expectedParams, relative(run.params()), spec + " " + sets + " " + runName + ": params");
            // A folder dataset's absolute path is part of its identity, so its hash differs per checkout: the
            // pinned hash is checked on the params as they resolved in the checkout that wrote the file.
            SortedMap<String, String> pinnedParams = expected.has("root") ? at(Path.of(
                    expected.get("root").getAsString()), relative(run.params())) : run.params();
            assertEquals(expected.get("hash").getAsString(), SpecHash.of(pinnedParams), spec + " " + runName);
            assertEquals(run.runName().substring(0, run.runName().length() - 12) + SpecHash.of(run.params()),
                    run.runName(), spec + ": the run's name ends with its own hash");
        }
    }

    /** The run named like the pinned one, with this checkout's hash (its data's absolute path is in it). */
    private static String locatedHere(String pinnedName, List<RunSpec> runs) {
        String stem = pinnedName.substring(0, pinnedName.length() - 12);
        return runs.stream().map(RunSpec::runName).filter(n -> n.startsWith(stem) && n.length() == pinnedName.length())
                .findFirst().orElse(pinnedName);
    }

    /** Relative paths resolved against the checkout root recorded in the expected file. */
    private static SortedMap<String, String> at(Path root, SortedMap<String, String> params) {
        SortedMap<String, String> out = new TreeMap<>();
        params.forEach((k, v) -> out.put(k, v.startsWith("../") ? root.resolve(v).normalize().toString() : v));
        return out;
    }

    /** Absolute paths as the expected file holds them: relative to the repository root. */
    private static SortedMap<String, String> relative(SortedMap<String, String> params) {
        SortedMap<String, String> out = new TreeMap<>();
        params.forEach((k, v) -> out.put(k, v.startsWith("/") ? ROOT.relativize(Path.of(v)).toString() : v));
        return out;
    }
}
