package dev.shortrun.model.learning;

import dev.shortrun.model.TestSupport;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One name per metric: distinct names, old names that map to them, and the README's table saying the same. */
class IterationMetricsTest {
    @Test
    void namesAreDistinctAndOldNamesFindTheirMetric() {
        Set<String> seen = new HashSet<>();
        for (IterationMetrics.Metric m : IterationMetrics.ALL) {
            assertTrue(seen.add(m.name()), "duplicate " + m.name());
            assertFalse(m.meaning().isBlank(), m.name());
            assertEquals(m, IterationMetrics.named(m.name()).orElseThrow());
            if (m.oldName() != null) {
                assertTrue(seen.add(m.oldName()), "old name " + m.oldName() + " clashes");
                assertEquals(m, IterationMetrics.named(m.oldName()).orElseThrow());
            }
        }
        assertEquals(List.of("f_diff", "seconds_per_iteration"), IterationMetrics.ALL.stream()
                .filter(m -> m.oldName() != null).map(IterationMetrics.Metric::name).toList());
        assertTrue(IterationMetrics.named("nonsense").isEmpty());
    }

    @Test
    void theReadmeListsEveryMetricByItsName() throws Exception {
        String readme = Files.readString(TestSupport.root().resolve("README.md"));
        for (IterationMetrics.Metric m : IterationMetrics.ALL) {
            assertTrue(readme.contains("`" + m.name() + "`"), "README does not name the metric " + m.name());
        }
    }
}
