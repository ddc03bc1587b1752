package dev.shortrun.steps.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PendingMetricsTest {
    @TempDir
    Path spill;

    @Test
    void pointsBeyondTheMemoryBoundSpillToDiskAndComeBackInOrder() throws Exception {
        PendingMetrics pending = new PendingMetrics(4, spill);
        List<Boolean> spilled = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            spilled.add(pending.add(new MetricPoint("k" + i, i == 5 ? Double.NaN : i * 1.5, i, 1000L + i)));
        }
        assertEquals(List.of(false, false, false, false, true, true, true, true, true, true, true), spilled);
        assertEquals(11, pending.size());
        try (Stream<Path> files = Files.list(spill)) {
            assertEquals(2, files.count()); // 7 spilled points in files of at most 4
        }

        List<MetricPoint> drained = new ArrayList<>();
        while (!pending.isEmpty()) {
            List<MetricPoint> batch = pending.peek(3);
            assertFalse(batch.isEmpty());
            assertEquals(batch, pending.peek(3), "peek must not consume");
            drained.addAll(batch);
            pending.remove(batch.size());
        }
        assertEquals(11, drained.size());
        for (int i = 0; i < 11; i++) {
            MetricPoint p = drained.get(i);
            assertEquals("k" + i, p.key());
            assertEquals(i, p.step());
            assertEquals(1000L + i, p.timestampMs());
            if (i == 5) {
                assertTrue(Double.isNaN(p.value()));
            } else {
                assertEquals(i * 1.5, p.value());
            }
        }
        try (Stream<Path> files = Files.list(spill)) {
            assertEquals(0, files.count(), "spill files must be deleted once read back");
        }
    }
}
