package dev.shortrun.regression;

import dev.shortrun.pipeline.CliProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gate as a user runs it, in processes of their own: a small sweep of the gmm toy, its baseline recorded, then
 * the same sweep trained again by an unchanged build (passes) and by a deliberately broken one, the test-only fault
 * switch {@code SHORTRUN_FAULT} (fails, exit 3). Same seeds on both sides, so the unchanged build's pass is certain
 * (bit-identical training); the gate's false-alarm rate over fresh seeds is measured by a command (README).
 */
class RegressionGateCliTest {
    /** The toys use no data noise; the image default 0.03 is a plausible wrong default. */
    static final String FAULT = "data_noise=0.03";

    @Test
    void theGatePassesAnUnchangedBuildAndFailsABrokenOne(@TempDir Path dir) throws Exception {
        Path pipeline = Path.of("..", "pipelines", "toy-gmm-nonconvergent.yaml").toAbsolutePath().normalize();
        Path sweep = dir.resolve("gate.yaml");
        Files.writeString(sweep, String.join("\n",
                "name: gate",
                "base: " + pipeline,
                "set:",
                "  learner.iterations: 100",
                "  checkpoints.every: 100",
                "  pipeline.output: " + dir.resolve("runs"),
                "  runner.kind: direct",
                "axes:",
                "  seeds: [1, 2]",
                "regression:",
                "  baseline: baseline.json",
                "  checks:",
                "    - {metric: kl_true_kde, tolerance: 0.02}",
                ""));
        String s = sweep.toString();
        assertEquals(0, run(dir, "sweep-1", Map.of(), "sweep", s));
        assertEquals(1, run(dir, "compare-none", Map.of(), "compare", s), "no baseline yet: cannot compare");
        assertEquals(0, run(dir, "baseline", Map.of(), "baseline", s));
        assertTrue(Files.isRegularFile(dir.resolve("baseline.json")));

        assertEquals(0, run(dir, "sweep-2", Map.of(), "sweep", s, "--fresh"));
        assertEquals(0, run(dir, "compare-unchanged", Map.of(), "compare", s));
        String pass = Files.readString(dir.resolve("compare-unchanged.log"));
        assertTrue(pass.contains("PASS: 1 checks"), pass);
        Path report = dir.resolve("runs/gate/regression/gate-regression.md");
        assertTrue(Files.readString(report).contains("| (all points) | `kl_true_kde` |"), Files.readString(report));
        assertTrue(Files.size(dir.resolve("runs/gate/regression/gate-regression.png")) > 1000);

        // the fault is other code: the sweep trains anew without --fresh
        assertEquals(0, run(dir, "sweep-broken", Map.of("SHORTRUN_FAULT", FAULT), "sweep", s));
        assertEquals(3, run(dir, "compare-broken", Map.of(), "compare", s));
        String fail = Files.readString(dir.resolve("compare-broken.log"));
        assertTrue(fail.contains("REGRESSION: 1 of 1 checks"), fail);
        assertTrue(fail.contains("+fault:" + FAULT), "the candidate's code names the fault:\n" + fail);
    }

    private static int run(Path dir, String name, Map<String, String> env, String... args) throws Exception {
        try (CliProcess p = CliProcess.start(dir.resolve(name + ".log"), env, args)) {
            return p.waitFor(300);
        }
    }
}
