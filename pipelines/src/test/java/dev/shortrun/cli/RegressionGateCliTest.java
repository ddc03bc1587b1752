package dev.shortrun.cli;

import dev.shortrun.pipeline.CliProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gate as a user runs it: a small sweep of the gmm toy, its baseline recorded, then the same sweep trained again
 * by an unchanged build (passes) and by a deliberately broken one, the test-only fault switch {@code SHORTRUN_FAULT}
 * in a process of its own (fails, exit 3). Same seeds on both sides, so the unchanged build's pass is certain
 * (bit-identical training), and the seeds' median against the tolerance: two seeds of 100 iterations are too few for
 * the mean test to be sure of this fault (RegressionGateTest covers that test; the gate's false-alarm and detection
 * rates over fresh seeds are measured by a command, see the README).
 */
class RegressionGateCliTest {
    /**
     * The toys use no data noise; 0.2 (more than the gmm modes' sd) blurs what the model learns. Smaller faults (data
     * noise 0.03 or 0.1, LeakyReLU slope 0.2 instead of 0.05) left the toys' KLs within their seed spread
     * (README, "Measured error rates"): not every wrong setting makes these results worse.
     */
    static final String FAULT = "data_noise=0.2";

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
                "  output: " + dir.resolve("runs"),
                "  runner.kind: direct",
                "axes:",
                "  seeds: [1, 2]",
                "regression:",
                "  baseline: baseline.json",
                "  checks:",
                "    - {metric: kl_true_kde, tolerance: 0.05, seeds: median}",
                ""));
        String s = sweep.toString();
        assertEquals(0, CliEndToEndTest.cli("sweep", s).code());
        CliEndToEndTest.Outcome none = CliEndToEndTest.cli("compare", s);
        assertEquals(1, none.code(), "no baseline yet: cannot compare");
        assertTrue(none.err().contains("baseline file not found: " + dir.resolve("baseline.json")), none.err());
        assertEquals(0, CliEndToEndTest.cli("baseline", s).code());
        assertTrue(Files.isRegularFile(dir.resolve("baseline.json")));

        assertEquals(0, CliEndToEndTest.cli("sweep", s, "--fresh").code());
        CliEndToEndTest.Outcome unchanged = CliEndToEndTest.cli("compare", s);
        assertEquals(0, unchanged.code());
        assertTrue(unchanged.out().contains("PASS: 1 checks"), unchanged.out());
        Path report = dir.resolve("runs/gate/regression/gate-regression.md");
        assertTrue(Files.readString(report).contains("| (all points) | `kl_true_kde` |"), Files.readString(report));
        assertTrue(Files.size(dir.resolve("runs/gate/regression/gate-regression.png")) > 1000);

        // the fault is other code: the sweep trains anew without --fresh
        try (CliProcess broken = CliProcess.start(dir.resolve("sweep-broken.log"), Map.of("SHORTRUN_FAULT", FAULT),
                "sweep", s)) {
            assertEquals(0, broken.waitFor(300), broken.output());
        }
        CliEndToEndTest.Outcome fail = CliEndToEndTest.cli("compare", s);
        assertEquals(3, fail.code());
        assertTrue(fail.out().contains("REGRESSION: 1 of 1 checks"), fail.out());
        assertTrue(fail.out().contains("+fault:" + FAULT), "the candidate's code names the fault:\n" + fail.out());
    }
}
