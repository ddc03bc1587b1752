package dev.shortrun.model.run;

import dev.shortrun.model.learning.IterationMetrics;
import dev.shortrun.model.learning.IterationStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricsLogTest {

    /** A resumed pipeline replays these rows into its tracking record, so they must read back bit for bit. */
    @Test
    void replayReadsBackTheRowsWrittenUpToTheGivenIteration(@TempDir Path dir) {
        Path file = dir.resolve("metrics.csv");
        List<IterationStats> written = new ArrayList<>();
        try (MetricsLog log = MetricsLog.open(file, 0)) {
            for (int i = 1; i <= 5; i++) {
                IterationStats s = new IterationStats(i, 0.1 / i, -Math.PI * i, 1e-7 * i, 100 + i, 1e-4, 0.03,
                        0.25 * i, Double.NaN, -i / 3.0, Double.POSITIVE_INFINITY);
                log.append(s);
                written.add(s);
            }
        }
        List<IterationStats> read = new ArrayList<>();
        MetricsLog.replay(file, 3, read::add);
        assertEquals(written.subList(0, 3), read); // records compare their doubles bit for bit
    }

    @Test
    void rowsWithoutTheDiagnosticsReadThemAsNaNAndAMangledRowIsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metrics.csv");
        Files.writeString(file, "iteration,f_pos,f_neg,diff,grad_norm,K,lr,sigma,seconds\n"
                + "1,0.5,0.25,0.25,2.0,100,1.0E-4,0.03,1.5\n" + "2,0.5,0.25\n");
        List<IterationStats> read = new ArrayList<>();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetricsLog.replay(file, 2, read::add));
        assertTrue(e.getMessage().startsWith(file + " line 3: ") && e.getMessage().contains("'2,0.5,0.25'"),
                e.getMessage());
        assertEquals(List.of(new IterationStats(1, 0.5, 0.25, 2.0, 100, 1e-4, 0.03, 1.5, Double.NaN, Double.NaN,
                Double.NaN)), read);
    }

    /** metrics.csv, the tracker and the summary say the same names: the csv header is the tracked keys' order. */
    @Test
    void theCsvHeaderAndTheTrackedMetricsUseTheSameNames() {
        IterationStats s = new IterationStats(7, 0.5, 0.25, 2.0, 100, 1e-4, 0.03, 1.5, -0.125, 0.0625, 3.0);
        assertEquals("iteration,f_pos,f_neg,f_diff,grad_norm,K,lr,sigma,seconds_per_iteration,d_s_t,r_t,v_t",
                IterationStats.csvHeader());
        Map<String, Double> tracked = IterationMetrics.tracked(s);
        assertEquals(List.of(IterationStats.csvHeader().split(",")).subList(1, 12), List.copyOf(tracked.keySet()));
        assertEquals(0.25, tracked.get("f_diff"));
        assertEquals(1.5, tracked.get("seconds_per_iteration"));
        assertEquals(100.0, tracked.get("K"));
        assertEquals("7,0.5,0.25,0.25,2.0,100,1.0E-4,0.03,1.5,-0.125,0.0625,3.0", s.csvRow());
        assertEquals(s, IterationStats.fromCsvRow(s.csvRow()));
    }

    /**
     * Run folders written before the names were unified say diff and seconds: their columns are found under the new
     * names, they replay (resume, tracking) as before, and resuming one rewrites the header, keeping its rows.
     */
    @Test
    void filesWithTheOldColumnNamesStillRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metrics.csv");
        String oldRows = "1,0.5,0.25,0.25,2.0,100,1.0E-4,0.03,1.5,-0.5,0.125,4.0\n"
                + "2,0.75,0.25,0.5,3.0,100,1.0E-4,0.03,2.5,-1.0,0.25,8.0\n";
        Files.writeString(file, "iteration,f_pos,f_neg,diff,grad_norm,K,lr,sigma,seconds,d_s_t,r_t,v_t\n" + oldRows);

        double[][] c = MetricsLog.columns(file, "iteration", "f_diff", "seconds_per_iteration");
        assertArrayEquals(new double[] {1, 2}, c[0]);
        assertArrayEquals(new double[] {0.25, 0.5}, c[1]);
        assertArrayEquals(new double[] {1.5, 2.5}, c[2]);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> MetricsLog.columns(file, "no_such_metric"));
        assertTrue(missing.getMessage().contains(file.toString()) && missing.getMessage().contains("no_such_metric"),
                missing.getMessage());

        List<IterationStats> read = new ArrayList<>();
        MetricsLog.replay(file, 2, read::add);
        assertEquals(List.of(new IterationStats(1, 0.5, 0.25, 2.0, 100, 1e-4, 0.03, 1.5, -0.5, 0.125, 4.0),
                new IterationStats(2, 0.75, 0.25, 3.0, 100, 1e-4, 0.03, 2.5, -1.0, 0.25, 8.0)), read);
        assertEquals(Optional.of(read.get(1)), MetricsLog.last(file));
        Map<String, Double> replayed = IterationMetrics.tracked(read.get(1)); // what goes to MLflow on resume
        assertEquals(0.5, replayed.get("f_diff"));
        assertEquals(2.5, replayed.get("seconds_per_iteration"));

        Path png = dir.resolve("training.png");
        Pictures.trainingCurves(file, png);
        assertTrue(Files.size(png) > 0, "training curves drawn from an old file");

        try (MetricsLog resumed = MetricsLog.open(file, 1)) {
            resumed.append(read.get(1));
        }
        assertEquals(IterationStats.csvHeader() + "\n" + oldRows, Files.readString(file));
    }

    @Test
    void lastIsEmptyBeforeTheFirstRow(@TempDir Path dir) throws Exception {
        assertEquals(Optional.empty(), MetricsLog.last(dir.resolve("metrics.csv")));
        try (MetricsLog log = MetricsLog.open(dir.resolve("metrics.csv"), 0)) {
            log.flush();
        }
        assertEquals(Optional.empty(), MetricsLog.last(dir.resolve("metrics.csv")));
    }
}
