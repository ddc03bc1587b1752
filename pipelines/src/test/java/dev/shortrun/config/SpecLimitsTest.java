package dev.shortrun.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile and mistaken specs fail fast with the limit named (issue 19): each of these ran for minutes, exhausted
 * memory or crashed with a stack trace before the limits existed.
 */
class SpecLimitsTest {
    @TempDir
    Path dir;

    private static SpecException fails(Supplier<?> load) {
        long start = System.nanoTime();
        SpecException e = assertThrows(SpecException.class, load::get);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(seconds < 5, "took " + seconds + " s: " + e.getMessage());
        return e;
    }

    private static void assertMentions(SpecException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), e.getMessage());
        }
    }

    @Test
    void aYamlAliasBombStopsAtTheValueLimit() {
        // under 1 KB: each level doubles the one before, 2^25 values in all, with 48 aliases (under SnakeYAML's 50)
        StringBuilder yaml = new StringBuilder("l0: &l0 [x, x]\n");
        for (int i = 1; i <= 24; i++) {
            yaml.append("l").append(i).append(": &l").append(i).append(" [*l").append(i - 1).append(", *l")
                    .append(i - 1).append("]\n");
        }
        Path file = SpecFiles.write(dir, "bomb.yaml", yaml + "dataset: {name: gmm}\n");
        assertMentions(fails(() -> SpecFiles.loader(dir).loadPipeline(file, List.of())),
                "expands to more than " + SpecLimits.MAX_VALUES + " values");
    }

    @Test
    void aRecursiveAliasIsAnErrorNotAStackOverflow() {
        Path file = SpecFiles.write(dir, "p.yaml", "dataset: {name: gmm}\n");
        assertMentions(fails(() -> SpecFiles.loader(dir).loadPipeline(file,
                CommandLineValue.sets(List.of("steps=&a [*a]")))), "--set steps=&a [*a]", "steps");
    }

    @Test
    void aHugeFileIsRefusedByItsSize() throws IOException {
        Path file = dir.resolve("huge.yaml");
        Files.writeString(file, "dataset: {name: gmm}\n" + "# padding\n".repeat(2_000_000)); // 20 MB
        assertMentions(fails(() -> SpecFiles.loader(dir).loadPipeline(file, List.of())), "huge.yaml:1",
                "a spec may have at most " + SpecLimits.MAX_SPEC_BYTES);
    }

    @Test
    void aSweepOfAHundredMillionPointsIsRefusedBeforeItIsExpanded() {
        SpecFiles.write(dir, "p.yaml", "dataset: {name: gmm}\n");
        String values = "[" + String.join(", ", java.util.stream.IntStream.range(1, 101).mapToObj(String::valueOf)
                .toList()) + "]";
        Path sweep = SpecFiles.write(dir, "s.yaml", "base: p.yaml\naxes:\n  grid:\n    sampler.K: " + values
                + "\n    learner.batch: " + values + "\n    model.n_f: " + values + "\n    learner.iterations: "
                + values + "\n");
        assertMentions(fails(() -> SpecFiles.loader(dir).loadSweep(sweep, List.of())), "axes",
                "would expand to 1000000 runs", "at most " + SpecLimits.MAX_SWEEP_POINTS);
    }

    @Test
    void namesThatAreNotDirectoryNamesAreRefused() {
        for (String name : List.of("..", ".", ".hidden", "a/b")) {
            Path file = SpecFiles.write(dir, "p.yaml", "name: '" + name + "'\ndataset: {name: gmm}\n");
            assertMentions(fails(() -> SpecFiles.loader(dir).loadPipeline(file, List.of())), "name: must start "
                    + "with a letter or digit");
        }
    }

    @Test
    void anEmptySetValueIsAnErrorNotTheBuiltInDefault() {
        Path file = SpecFiles.write(dir, "p.yaml", "dataset: {name: gmm}\nlearner: {iterations: 600}\n");
        assertMentions(fails(() -> SpecFiles.loader(dir).loadPipeline(file,
                CommandLineValue.sets(List.of("learner.iterations=")))), "--set learner.iterations=",
                "needs a value after '='");
    }

    @Test
    void absurdSizesAreRefusedWithTheirBounds() {
        Path file = SpecFiles.write(dir, "p.yaml", "dataset: {name: gmm}\n");
        for (String[] probe : new String[][] {{"learner.iterations=1e18", "in [0, 1000000000]"},
                {"sampler.K=1e9", "in [0, 100000]"}, {"learner.batch=1e8", "in [1, 10000]"},
                {"model.n_f=1e6", "in [1, 1024]"}}) {
            assertMentions(fails(() -> SpecFiles.loader(dir).loadPipeline(file,
                    CommandLineValue.sets(List.of(probe[0])))), probe[0], probe[1]);
        }
    }
}
