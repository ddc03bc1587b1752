package dev.shortrun.steps.record;

import dev.shortrun.steps.RunOrigin;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lineage tags in MLflow's own fields, and the colours of a sweep's points. */
class LineageTest {
    private static final RunOrigin.Launch LAUNCH = new RunOrigin.Launch("ada", "shortrun sweep s.yaml", "sweep",
            "0.1.0");

    @Test
    void aDirtyCheckoutIsTheCommitWithItsDirtyState() {
        String commit = "0123456789abcdef0123456789abcdef01234567";
        Map<String, String> tags = Lineage.of(LAUNCH, "sweeps/s.yaml", commit + "-dirty");
        assertEquals(commit, tags.get(Lineage.GIT_COMMIT));
        assertEquals("true", tags.get(Lineage.GIT_DIRTY));
        assertEquals("ada", tags.get(Lineage.USER));
        assertEquals("sweep", tags.get(Lineage.ENTRY_POINT));
        assertEquals("shortrun sweep s.yaml", tags.get(Lineage.COMMAND_LINE));
        assertEquals("LOCAL", tags.get(Lineage.SOURCE_TYPE));
        assertEquals("sweeps/s.yaml", tags.get(Lineage.SOURCE_NAME));
        assertEquals("false", Lineage.of(LAUNCH, null, commit).get(Lineage.GIT_DIRTY));
    }

    @Test
    void noCommitTagWithoutAGitCheckout() {
        Map<String, String> tags = Lineage.of(null, null, "unknown");
        assertFalse(tags.containsKey(Lineage.GIT_COMMIT), tags.toString());
        assertFalse(tags.containsKey(Lineage.USER), tags.toString());
    }

    @Test
    void theTenPointsOfASweepHaveTenColoursAndOtherRunsTheUisOwn() {
        Set<String> colours = new HashSet<>();
        for (int i = 1; i <= 10; i++) {
            colours.add(RunColor.of(point(i)).orElseThrow());
        }
        assertEquals(10, colours.size());
        assertEquals(RunColor.of(point(1)), RunColor.of(point(11)), "the palette repeats after ten");
        assertTrue(colours.stream().allMatch(c -> c.matches("#[0-9a-f]{6}")), colours.toString());
        assertEquals(Optional.empty(), RunColor.of(RunOrigin.unknown("p", "p-0123")));
    }

    private static RunOrigin point(int index) {
        return new RunOrigin("base", "base.yaml", new RunOrigin.Sweep("s.yaml", "", index, 12, null), "x=" + index,
                List.of(), LAUNCH);
    }
}
