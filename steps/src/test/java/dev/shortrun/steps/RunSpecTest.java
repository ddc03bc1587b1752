package dev.shortrun.steps;

import dev.shortrun.model.data.DataConfig;
import dev.shortrun.model.longrun.LongRunSettings;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.testing.CoderProperties;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunSpecTest {
    private static RunSpec run(Map<String, String> sweepPoint, String flinkMaster) {
        RunSpec base = TestRuns.run("p-0123456789ab", TestRuns.toy(100, 10), List.of("sample", "diagnose"),
                "/runs/p/p-0123456789ab", Map.of(DiagnoseStep.NAME, new DiagnoseStep.Settings(
                        new LongRunSettings(500, 4, LongRunSettings.Sampler.MALA, 0.002,
                                LongRunSettings.Starts.BOTH, 7), true)));
        return new RunSpec(base.pipeline(), base.runName(), base.specHash(), base.train(), base.steps(),
                base.stepSettings(), base.tracking(),
                new RunSpec.Runner(flinkMaster == null ? "direct" : "flink-cluster", flinkMaster),
                base.resources(), base.outputDir(), base.params(), sweepPoint);
    }

    private static List<RunSpec> examples() {
        Map<String, String> point = new LinkedHashMap<>();
        point.put("sampler.K", "25");
        point.put("learner.sigma", "0.05");
        return List.of(run(Map.of(), null), run(point, "127.0.0.1:8081"),
                TestRuns.image("img", new DataConfig("mnist", "/data/mnist", "train", 32, 40_000)));
    }

    @Test
    void jsonRoundTripKeepsTypedStepSettings() {
        for (RunSpec original : examples()) {
            String json = original.toJson();
            assertFalse(json.contains("\n"), "one line per run: " + json);
            RunSpec back = RunSpec.fromJson(json);
            assertEquals(original, back);
            assertEquals(original.toJson(), back.toJson());
            assertEquals(List.copyOf(original.sweepPoint().keySet()), List.copyOf(back.sweepPoint().keySet()));
        }
        RunSpec back = RunSpec.fromJson(examples().get(0).toJson());
        assertEquals(LongRunSettings.Sampler.MALA, back.settings(DiagnoseStep.STEP).longRun().sampler());
        assertEquals(List.of(0, 5), back.settings(SampleStep.STEP).kValues());
    }

    @Test
    void coderIsDeterministicAndRoundTrips() throws Exception {
        Coder<RunSpec> coder = RunSpec.Coder.of();
        coder.verifyDeterministic();
        for (RunSpec run : examples()) {
            CoderProperties.coderDecodeEncodeEqual(coder, run);
            CoderProperties.coderDeterministic(coder, run, RunSpec.fromJson(run.toJson()));
        }
        CheckpointRef ref = new CheckpointRef("/runs/p/x/checkpoints/iter-000010.json", 10, true, "abc",
                examples().get(1));
        CoderProperties.coderDecodeEncodeEqual(CheckpointRef.Coder.of(), ref);
        StepResult result = new StepResult("r", "sample", 10, Map.of("b", 2.0, "a", Double.NaN), List.of("x.png"));
        CoderProperties.coderDecodeEncodeEqual(StepResult.Coder.of(), result);
    }

    @Test
    void isImmutable() {
        List<String> steps = new ArrayList<>(List.of("sample"));
        RunSpec spec = run(Map.of("sampler.K", "5"), null);
        RunSpec copy = new RunSpec(spec.pipeline(), spec.runName(), spec.specHash(), spec.train(), steps,
                spec.stepSettings(), spec.tracking(), spec.runner(), spec.resources(), spec.outputDir(), spec.params(),
                spec.sweepPoint());
        steps.add("score");
        assertEquals(List.of("sample"), copy.steps());
        assertThrows(UnsupportedOperationException.class, () -> copy.params().put("x", "y"));
        assertThrows(UnsupportedOperationException.class, () -> copy.sweepPoint().clear());
        assertThrows(UnsupportedOperationException.class, () -> copy.stepSettings().asMap().clear());
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
