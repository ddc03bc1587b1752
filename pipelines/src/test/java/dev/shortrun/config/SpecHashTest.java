package dev.shortrun.config;

import dev.shortrun.model.torch.Precision;
import dev.shortrun.steps.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spec hash names the science: stable, blind to where and how a run executes, sensitive to what it computes. */
class SpecHashTest {
    private static final String TOY = "dataset:\n  name: gmm\nlearner:\n  iterations: 50\n";

    @TempDir
    Path dir;

    private RunSpec load(String yaml, String... sets) {
        Path file = SpecFiles.write(dir, "toy.yaml", yaml);
        return SpecFiles.loader(dir).loadPipeline(file, CommandLineValue.sets(List.of(sets))).get(0);
    }

    @Test
    void hashIsStableAcrossLoadsAndReleases() {
        RunSpec run = load(TOY);
        assertEquals(run.specHash(), load(TOY).specHash());
        assertTrue(run.specHash().matches("[0-9a-f]{12}"), run.specHash());
        assertEquals("toy-" + run.specHash(), run.runName());
        // Pinned: a change here renames every existing run. Change it only on purpose.
        assertEquals("c359ff5dcbbe", run.specHash());
    }

    @Test
    void hashIgnoresRunnerTrackingResourcesOutputAndName() {
        String hash = load(TOY).specHash();
        assertEquals(hash, load(TOY, "runner.kind=flink-cluster", "runner.flink_master=10.0.0.1:8081").specHash());
        assertEquals(hash, load(TOY, "tracking.mlflow_uri=http://x:5000", "tracking.experiment=e",
                "tracking.trigger=ci").specHash());
        assertEquals(hash, load(TOY, "resources.parallelism=4", "resources.threads_per_worker=3",
                "resources.device=cpu").specHash());
        assertEquals(hash, load(TOY, "output=elsewhere", "name=other", "description=hello").specHash());
    }

    @Test
    void hashFollowsTheScience() {
        String hash = load(TOY).specHash();
        assertNotEquals(hash, load(TOY, "learner.lr=2e-4").specHash());
        assertNotEquals(hash, load(TOY, "learner.seed=5").specHash());
        assertNotEquals(hash, load(TOY, "steps=[sample]").specHash());
        assertNotEquals(hash, load(TOY, "sample.n=16").specHash());
        // bf16 chains compute other numbers: another run, whose chains (and its checkpoints' samplers) are bf16
        if (Precision.cpuHasBf16()) {
            RunSpec bf16 = load(TOY, "sampler.precision=bf16");
            assertNotEquals(hash, bf16.specHash());
            assertEquals(Precision.BF16, bf16.train().langevin().chainPrecision());
        } else { // refused where the CPU has no native bfloat16, naming the key
            Exception e = assertThrows(Exception.class, () -> load(TOY, "sampler.precision=bf16"));
            assertTrue(e.getMessage().contains("sampler.precision") && e.getMessage().contains("avx512_bf16"),
                    e.getMessage());
        }
        assertEquals(Precision.FP32, load(TOY).train().langevin().chainPrecision());
        // the same value written differently is the same run
        assertEquals(load(TOY, "learner.lr=1e-4").specHash(), load(TOY, "learner.lr=0.0001").specHash());
        assertEquals(hash, load(TOY, "learner.lr=1e-4").specHash());
    }

    @Test
    void datasetLocationIsNotScienceButAFolderIs() {
        String mnist = "dataset: {name: mnist, dir: a}\n";
        assertEquals(load(mnist).specHash(), load(mnist, "dataset.dir=/somewhere/else").specHash());
        String folder = "dataset: {name: folder, dir: a}\n";
        assertNotEquals(load(folder).specHash(), load(folder, "dataset.dir=/somewhere/else").specHash());
    }

    @Test
    void paramsHoldEveryResolvedKey() {
        RunSpec run = load(TOY);
        for (String key : List.of("dataset.name", "dataset.split", "dataset.cap", "model.n_f", "model.slope",
                "sampler.K", "sampler.k_min", "sampler.k_max", "sampler.init_scale", "learner.iterations",
                "learner.lr", "learner.sigma", "learner.beta2", "checkpoints.every", "sample.k_values",
                "tracking.trigger", "runner.kind", "resources.device", "output", "name")) {
            assertTrue(run.params().containsKey(key), key + " missing from " + run.params().keySet());
        }
        assertEquals(Map.of(), run.sweepPoint());
        assertEquals("0.05", run.params().get("model.slope"));
        assertEquals("1.0E-4", run.params().get("learner.lr"));
    }
}
