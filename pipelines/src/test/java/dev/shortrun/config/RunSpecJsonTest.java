package dev.shortrun.config;

import dev.shortrun.steps.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Resolved runs survive the JSON trip Beam puts them through, sweep points and all. */
class RunSpecJsonTest {
    @TempDir
    Path dir;

    @Test
    void sweepPointsRoundTripThroughJson() {
        SpecFiles.write(dir, "toy.yaml", "dataset: {name: gmm}\nsteps: [sample]\n");
        Path file = SpecFiles.write(dir, "s.yaml", "base: toy.yaml\naxes:\n  grid:\n    learner.lr: [1e-4, 1e-3]\n"
                + "  seeds: [1, 2]\n");
        for (RunSpec run : SpecFiles.loader(dir).loadSweep(file,
                CommandLineValue.sets(List.of("runner.kind=flink-cluster",
                "runner.flink_master=h:1"))).points()) {
            RunSpec back = RunSpec.fromJson(run.toJson());
            assertEquals(run, back);
            assertEquals(List.copyOf(run.sweepPoint().keySet()), List.copyOf(back.sweepPoint().keySet()));
        }
    }
}
