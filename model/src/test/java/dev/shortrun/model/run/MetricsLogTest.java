package dev.shortrun.model.run;

import dev.shortrun.model.learning.IterationStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
}
