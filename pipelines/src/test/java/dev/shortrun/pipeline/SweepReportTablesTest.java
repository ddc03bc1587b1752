package dev.shortrun.pipeline;

import dev.shortrun.config.CommandLineValue;
import dev.shortrun.config.SpecLoader;
import dev.shortrun.config.Sweep;
import dev.shortrun.model.run.RunState;
import dev.shortrun.steps.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report's table from run records made up here (no training): seeds pooled into mean ± sample sd, the paper's
 * numbers matched to our points by their swept values, the notes on what may be compared and what is missing.
 */
class SweepReportTablesTest {
    @TempDir
    Path work;

    private static Path root() {
        String root = System.getProperty("shortrun.root");
        return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
    }

    private Sweep load(Path spec, String... sets) {
        return new SpecLoader(Map.of(), work).loadSweep(spec, CommandLineValue.sets(List.of(sets)));
    }

    /** Each point of the sweep as a finished run with these step metrics (and 20 iterations). */
    private static SweepRuns finished(Sweep sweep, Path root, Function<RunSpec, Map<String, Double>> metrics) {
        List<SweepRuns.Run> runs = sweep.points().stream().map(r -> new SweepRuns.Run(r.runName(),
                Path.of(r.outputDir()), r, RunState.FINISHED, 20, new TreeMap<>(Map.of("grad_norm", 0.5)),
                new TreeMap<>(metrics.apply(r)))).toList();
        Invocation invocation = Invocation.start(sweep.name(), "sweep", "test-code", "key", "direct", null,
                runs.stream().map(SweepRuns.Run::name).toList()).ended(RunState.FINISHED);
        return new SweepRuns(root, invocation, runs);
    }

    @Test
    void seedsArePooledIntoMeanAndSampleSd() throws Exception {
        Files.writeString(work.resolve("toy.yaml"), String.join("\n", "name: toy", "dataset: {name: gmm}",
                "model: {n_f: 8}", "sampler: {K: 5}", "learner: {iterations: 20, batch: 32}", "steps: [density]", ""));
        Path spec = Files.writeString(work.resolve("seeded.yaml"), String.join("\n", "base: toy.yaml",
                "name: seeded", "axes:", "  grid:", "    learner.lr: [1.0e-3, 3.0e-3]", "  seeds: [1, 2, 3]", ""));
        Sweep sweep = load(spec);
        assertEquals(6, sweep.points().size());
        // kl_true_kde = seed (1, 2, 3) at lr 1e-3, and 10 x seed at 3e-3: means 2 and 20, sample sds 1 and 10
        SweepRuns results = finished(sweep, work.resolve("runs/seeded"), r -> Map.of("kl_true_kde",
                Double.parseDouble(r.sweepPoint().get("learner.seed"))
                        * (r.sweepPoint().get("learner.lr").equals("0.003") ? 10 : 1)));
        SweepReport report = new SweepReport(sweep.name(), "", results);

        List<ReportTable.Point> points = report.points();
        assertEquals(2, points.size(), "one row per lr, the seeds pooled");
        assertEquals(Map.of("learner.lr", "0.001"), points.get(0).at());
        ReportTable.Stat first = points.get(0).stat("kl_true_kde");
        assertEquals(2.0, first.mean(), 1e-12);
        assertEquals(1.0, first.sd(), 1e-12);
        assertEquals(3, first.n());
        assertEquals(20.0, points.get(1).stat("kl_true_kde").mean(), 1e-12);
        assertEquals(10.0, points.get(1).stat("kl_true_kde").sd(), 1e-12);
        assertEquals("2 ± 1", first.format());
        assertEquals("0.5", points.get(0).stat("grad_norm").format(), "equal values: no ± 0");
        assertEquals("-", points.get(0).stat("fid").format(), "a metric no run has");

        String md = report.markdown("seeded-report.png");
        assertTrue(md.contains("| learner.lr | seeds | iterations | kl_true_kde | grad_norm |"), md);
        assertTrue(md.contains("| 0.001 | 3 | 20 | 2 ± 1 | 0.5 |"), md);
        assertTrue(md.contains("| 0.003 | 3 | 20 | 20 ± 10 | 0.5 |"), md);
        assertTrue(md.contains("No paper table for the sweep seeded"), md);
    }

    @Test
    void aSingleValueHasNoSdAndMissingValuesAreLeftOut() {
        ReportTable.Stat one = ReportTable.Stat.of(new double[] {0.25, Double.NaN});
        assertEquals(1, one.n());
        assertTrue(Double.isNaN(one.sd()));
        assertEquals("0.25", one.format());
        ReportTable.Stat two = ReportTable.Stat.of(new double[] {1, Double.NaN, 4});
        assertEquals(2.5, two.mean(), 1e-12);
        assertEquals(Math.sqrt(4.5), two.sd(), 1e-12);
    }

    @Test
    void table3bStandsBesideThePaperRowByRowAndSaysWhatCompares() throws Exception {
        Sweep sweep = load(root().resolve("sweeps/table3b-nf.yaml"), "learner.iterations=20");
        // ours: made-up LeNet scores, FID falling with n_f as in the paper
        SweepRuns results = finished(sweep, work.resolve("runs/table3b"), r -> Map.of(
                "fid_lenet", 1000.0 / r.train().net().nf(), "is_lenet", r.train().net().nf() / 32.0 + 0.125));
        SweepReport report = new SweepReport(sweep.name(), sweep.description(), results);
        String md = report.markdown("table3b-report.png");
        assertTrue(md.contains("| model.n_f | iterations | ours: fid_lenet | paper: FID | ours: is_lenet | paper: IS |"),
                md);
        assertTrue(md.contains("| 32 | 20 | 31.25 | 63.81 | 1.125 | 4.92 |"), md);
        assertTrue(md.contains("| 64 | 20 | 15.63 | 46.61 | 2.125 | 5.49 |"), md);
        assertTrue(md.contains("| 128 | 20 | 7.813 | 44.50 | 4.125 | 6.21 |"), md);
        assertTrue(md.contains("Compare trends, not values"), md);
        assertTrue(md.contains("Table 3 (b)"), md);
        assertTrue(report.text().contains("paper: FID"), report.text());

        BufferedImage png = report.figure(); // paper | ours, one row per quantity, under a two-line caption
        assertEquals(2 * SweepReport.PANEL_WIDTH, png.getWidth());
        assertEquals(2 * SweepReport.PANEL_HEIGHT + 2 * 18 + 10, png.getHeight());
    }

    @Test
    void table2MatchesKWithSigmaAndNamesWhatNoRunComputed() {
        Sweep sweep = load(root().resolve("sweeps/table2-k-sigma.yaml"), "learner.iterations=20", "model.n_f=8");
        SweepRuns results = finished(sweep, work.resolve("runs/table2"), r -> Map.of());
        String md = new SweepReport(sweep.name(), sweep.description(), results).markdown("x.png");
        assertTrue(md.contains("| 10 | 0.1 | 20 | - | 182.5 | - | 2.27 | 0.5 | 3.85 |"), md);
        assertTrue(md.contains("No run has fid or fid_lenet (the paper's FID): add the score step"), md);
        assertTrue(md.contains("ours: grad_norm"), md);
        assertFalse(md.contains("No run has grad_norm"), md);
    }

    @Test
    void aSweepWithoutFinishedRunsIsRefusedWithOneLine() {
        Sweep sweep = load(root().resolve("sweeps/table3b-nf.yaml"));
        SweepRuns running = finished(sweep, work.resolve("runs/table3b"), r -> Map.of());
        SweepRuns none = new SweepRuns(running.root(), running.invocation(), running.runs().stream()
                .map(r -> new SweepRuns.Run(r.name(), r.dir(), r.spec(), RunState.RUNNING, 3, r.training(),
                        r.stepMetrics())).toList());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new SweepReport(sweep.name(), "", none));
        assertTrue(e.getMessage().startsWith("table3b has no finished runs yet"), e.getMessage());
        assertTrue(e.getMessage().contains("0 of 3 runs finished"), e.getMessage());
    }
}
