package dev.shortrun.regression;

import dev.shortrun.config.Regression;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RegressionGateTest {
    private static final Regression.Check KL = new Regression.Check("kl", "min",
            new Regression.Tolerance(0.05, false), "mean");

    private static SweepResults results(String config, double... values) {
        List<SweepResults.RunResult> runs = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            runs.add(new SweepResults.RunResult(config, Integer.toString(i + 1), config + "-seed" + (i + 1),
                    "FINISHED", "abc", Map.of("kl", values[i])));
        }
        return new SweepResults(SweepResults.FORMAT, "s", "abc", "here", "now", runs);
    }

    private static RegressionGate.Row only(Regression regression, SweepResults base, SweepResults candidate) {
        RegressionGate.Result result = RegressionGate.compare(regression, base, candidate);
        assertEquals(1, result.rows().size());
        return result.rows().get(0);
    }

    @Test
    void seedSpreadWithinTheToleranceIsNoRegression() {
        Regression r = new Regression(null, 0.05, List.of(KL));
        RegressionGate.Row row = only(r, results("a", 0.30, 0.35, 0.32), results("a", 0.36, 0.31, 0.38));
        assertEquals(RegressionGate.Verdict.PASS, row.verdict());
        assertEquals(0.35 - 0.97 / 3, row.delta(), 1e-9);
        assertTrue(row.p() > 0.05, "p " + row.p());
    }

    @Test
    void aClearlyWorseMeanIsARegressionAndAWideSpreadIsNot() {
        Regression r = new Regression(null, 0.05, List.of(KL));
        assertEquals(RegressionGate.Verdict.REGRESSION,
                only(r, results("a", 0.30, 0.31, 0.32), results("a", 0.60, 0.62, 0.61)).verdict());
        // the same mean difference with seeds all over the place cannot be told from noise
        assertEquals(RegressionGate.Verdict.PASS,
                only(r, results("a", 0.10, 0.50, 0.30), results("a", 0.30, 0.95, 0.58)).verdict());
    }

    @Test
    void higherIsBetterMetricsRegressWhenTheyFall() {
        Regression.Check is = new Regression.Check("kl", "max", new Regression.Tolerance(0.1, true), "mean");
        Regression r = new Regression(null, 0.05, List.of(is));
        assertEquals(RegressionGate.Verdict.REGRESSION,
                only(r, results("a", 5.0, 5.1, 4.9), results("a", 3.0, 3.1, 2.9)).verdict());
        assertEquals(RegressionGate.Verdict.BETTER,
                only(r, results("a", 3.0, 3.1, 2.9), results("a", 5.0, 5.1, 4.9)).verdict());
        // 10% of 5.0 = 0.5: a drop of 0.3 is tolerated however sure it is
        assertEquals(RegressionGate.Verdict.PASS,
                only(r, results("a", 5.0, 5.01, 4.99), results("a", 4.7, 4.71, 4.69)).verdict());
    }

    @Test
    void aFailedOrDivergedCandidateSeedIsMissingAndFailsTheGate() {
        Regression r = new Regression(null, 0.05, List.of(KL));
        SweepResults base = results("a", 0.3, 0.3, 0.3);
        SweepResults nan = results("a", 0.3, Double.NaN, 0.3);
        RegressionGate.Row row = only(r, base, nan);
        assertEquals(RegressionGate.Verdict.MISSING, row.verdict());
        assertTrue(row.note().contains("seed 2"), row.note());
        List<SweepResults.RunResult> failed = new ArrayList<>(base.runs());
        failed.set(0, new SweepResults.RunResult("a", "1", "a-seed1", "FAILED", "abc", Map.of()));
        RegressionGate.Result result = RegressionGate.compare(r, base, new SweepResults(1, "s", "x", "y", "z",
                failed));
        assertTrue(result.regressed());
        assertTrue(result.rows().get(0).note().contains("FAILED"), result.rows().get(0).note());
    }

    @Test
    void aConfigurationTheCandidateLostFailsAndANewOneDoesNot() {
        Regression r = new Regression(null, 0.05, List.of(KL));
        RegressionGate.Result result = RegressionGate.compare(r, results("a", 0.3, 0.31), results("b", 0.3, 0.31));
        assertEquals(RegressionGate.Verdict.MISSING, result.rows().get(0).verdict());
        assertEquals(RegressionGate.Verdict.NEW, result.rows().get(1).verdict());
        assertTrue(result.regressed());
    }

    @Test
    void alphaIsSplitOverTheMeanTests() {
        Regression.Check other = new Regression.Check("other", "min", new Regression.Tolerance(0, false), "worst");
        Regression r = new Regression(null, 0.05, List.of(KL, other));
        List<SweepResults.RunResult> runs = new ArrayList<>(results("a", 0.3, 0.31).runs());
        runs.addAll(results("b", 0.3, 0.31).runs());
        SweepResults both = new SweepResults(1, "s", "x", "y", "z", runs);
        // two configurations x one mean check: 0.025 each; the worst-seed check takes no share
        assertEquals(0.025, RegressionGate.compare(r, both, both).alphaPerTest(), 1e-12);
        assertFalse(RegressionGate.compare(new Regression(null, 0.05, List.of(KL)), both, both).regressed());
    }

    @Test
    void worstAndMedianCompareAgainstTheToleranceAlone() {
        Regression.Check worst = new Regression.Check("kl", "min", new Regression.Tolerance(0.05, false), "worst");
        Regression r = new Regression(null, 0.05, List.of(worst));
        assertEquals(RegressionGate.Verdict.REGRESSION,
                only(r, results("a", 0.30, 0.31, 0.32), results("a", 0.30, 0.31, 0.40)).verdict());
        Regression.Check median = new Regression.Check("kl", "min", new Regression.Tolerance(0.05, false),
                "median");
        assertEquals(RegressionGate.Verdict.PASS, only(new Regression(null, 0.05, List.of(median)),
                results("a", 0.30, 0.31, 0.32), results("a", 0.30, 0.31, 0.90)).verdict());
    }

    @Test
    void baselineFilesRoundTripAndBadOnesAreNamed() {
        SweepResults r = results("pipeline=x", 0.25, Double.NaN);
        SweepResults back = SweepResults.parse(r.toJson(), "f.json");
        assertEquals(r.runs().get(0).metrics(), back.runs().get(0).metrics());
        assertTrue(Double.isNaN(back.runs().get(1).metrics().get("kl")));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SweepResults.parse("{\"format\": 7}", "base.json"));
        assertTrue(e.getMessage().startsWith("base.json is not a baseline file of format 1"), e.getMessage());
    }
}
