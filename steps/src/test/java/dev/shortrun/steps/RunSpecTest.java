package dev.shortrun.steps;

import dev.shortrun.model.data.DataConfig;
import dev.shortrun.model.learning.LearnerConfig;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.nets.NetConfig;
import dev.shortrun.model.sampling.LangevinConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunSpecTest {
    private static RunSpec run(Map<String, String> sweepPoint, String flinkMaster) {
        TrainConfig train = new TrainConfig(new DataConfig("mnist", "/data/mnist", "train", 32, 40_000),
                NetConfig.shortRun(32, 1, 64), LangevinConfig.shortRun(100), LearnerConfig.shortRun(), 1, 100_000,
                1000, 100);
        TreeMap<String, String> params = new TreeMap<>(Map.of("learner.lr", "1.0E-4", "sampler.K", "100"));
        return new RunSpec("p", "p-0123456789ab", "0123456789ab", train, List.of("sample"),
                new RunSpec.Sample(64, List.of(0, 20, 200), 1), new RunSpec.Tracking(null, "p", "manual"),
                new RunSpec.Runner(flinkMaster == null ? "direct" : "flink-cluster", flinkMaster),
                new RunSpec.Resources(1, 2, "cpu"), "/runs/p/p-0123456789ab", params, sweepPoint);
    }

    @Test
    void jsonRoundTripIsEqual() {
        Map<String, String> point = new LinkedHashMap<>();
        point.put("sampler.K", "25");
        point.put("learner.sigma", "0.05");
        for (RunSpec original : List.of(run(Map.of(), null), run(point, "127.0.0.1:8081"))) {
            String json = original.toJson();
            assertFalse(json.contains("\n"), "one line per run: " + json);
            RunSpec back = RunSpec.fromJson(json);
            assertEquals(original, back);
            assertEquals(original.toJson(), back.toJson());
            assertEquals(List.copyOf(original.sweepPoint().keySet()), List.copyOf(back.sweepPoint().keySet()));
        }
    }

    @Test
    void isImmutable() {
        List<String> steps = new ArrayList<>(List.of("sample"));
        RunSpec spec = run(Map.of("sampler.K", "5"), null);
        RunSpec copy = new RunSpec(spec.pipeline(), spec.runName(), spec.specHash(), spec.train(), steps,
                spec.sample(), spec.tracking(), spec.runner(), spec.resources(), spec.outputDir(), spec.params(),
                spec.sweepPoint());
        steps.add("score");
        assertEquals(List.of("sample"), copy.steps());
        assertThrows(UnsupportedOperationException.class, () -> copy.params().put("x", "y"));
        assertThrows(UnsupportedOperationException.class, () -> copy.sweepPoint().clear());
        assertTrue(copy.isSweepPoint());
    }

    @Test
    void badJsonSaysSo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunSpec.fromJson("[1]"));
        assertTrue(e.getMessage().startsWith("not a run spec JSON: "), e.getMessage());
        IllegalArgumentException partial = assertThrows(IllegalArgumentException.class,
                () -> RunSpec.fromJson("{\"pipeline\":\"p\"}"));
        assertTrue(partial.getMessage().startsWith("not a run spec JSON: a run spec needs "), partial.getMessage());
    }
}
