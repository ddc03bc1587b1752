package dev.shortrun.config;

import dev.shortrun.steps.RunSpec;
import dev.shortrun.steps.SampleStep;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@code --set} overrides and the defaults they replace. */
class OverridesTest {
    @TempDir
    Path dir;

    private RunSpec load(String yaml, String... sets) {
        Path file = SpecFiles.write(dir, "spec.yaml", yaml);
        return SpecFiles.loader(dir).loadPipeline(file, CommandLineValue.sets(List.of(sets))).get(0);
    }

    @Test
    void setOverridesANestedValue() {
        RunSpec run = load("dataset:\n  name: gmm\nlearner:\n  lr: 1e-4\n  batch: 100\n", "learner.lr=3e-4");
        assertEquals(3e-4, run.train().learner().lr().initial());
        assertEquals(100, run.train().learner().batch());
        assertEquals("3.0E-4", run.params().get("learner.lr"));
    }

    @Test
    void laterSetWinsAndValuesAreYaml() {
        RunSpec run = load("dataset:\n  name: gmm\n", "learner.iterations=5", "learner.iterations=7",
                "steps=[sample]", "sample.k_values=[0, 10, 20]");
        assertEquals(7, run.train().iterations());
        assertEquals(List.of("sample"), run.steps());
        assertEquals(List.of(0, 10, 20), run.settings(SampleStep.STEP).kValues());
    }

    @Test
    void setNullRestoresTheDefault() {
        RunSpec run = load("dataset:\n  name: gmm\nlearner:\n  batch: 7\n", "learner.batch=null");
        assertEquals(100, run.train().learner().batch());
    }

    @Test
    void setDataDirIsRelativeToTheWorkingDirectoryButFileDirToTheFile() {
        Path sub = dir.resolve("specs");
        SpecFiles.write(dir, "placeholder", "");
        sub.toFile().mkdirs();
        Path file = SpecFiles.write(sub, "m.yaml", "dataset:\n  name: mnist\n  dir: ../data/mnist\n");
        RunSpec fromFile = SpecFiles.loader(dir).loadPipeline(file, CommandLineValue.sets(List.of())).get(0);
        assertEquals(dir.resolve("data/mnist").toString(), fromFile.train().data().dir());
        RunSpec fromSet = SpecFiles.loader(dir.resolve("elsewhere"))
                .loadPipeline(file, CommandLineValue.sets(List.of("dataset.dir=mine"))).get(0);
        assertEquals(dir.resolve("elsewhere/mine").toString(), fromSet.train().data().dir());
    }

    @Test
    void toyAndImageDefaultsFollowTrain() {
        RunSpec toy = load("dataset: {name: rings}\n");
        assertEquals(32, toy.train().net().nf());
        assertEquals(0.05, toy.train().net().slope());
        assertEquals(100, toy.train().learner().batch());
        assertEquals(123, toy.train().seed());
        assertEquals(0.0, toy.train().learner().sigma().initial());
        assertEquals(1, toy.resources().threadsPerWorker());
        RunSpec image = load("dataset: {name: mnist, dir: data}\n");
        assertEquals(64, image.train().net().nf());
        assertEquals(0.03, image.train().learner().sigma().initial());
        assertEquals(2, image.resources().threadsPerWorker());
        assertEquals(List.of(0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200), image.settings(SampleStep.STEP)
                .kValues());
        assertEquals(64, image.settings(SampleStep.STEP).n());
        assertEquals(1, image.settings(SampleStep.STEP).seed());
        assertEquals(List.of(), image.steps());
    }

    @Test
    void kRangeLikeTrainCommand() {
        RunSpec range = load("dataset: {name: gmm}\nsampler: {k_min: 100, k_max: 120}\n");
        assertEquals(100, range.train().langevin().kMin());
        assertEquals(120, range.train().langevin().kMax());
        RunSpec minOnly = load("dataset: {name: gmm}\nsampler: {k_min: 30}\n");
        assertEquals(30, minOnly.train().langevin().kMax());
        assertEquals(List.of(0, 6, 12, 18, 24, 30, 36, 42, 48, 54, 60), minOnly.settings(SampleStep.STEP).kValues());
    }

    @Test
    void trackingRunnerOutputDefaults() {
        Path file = SpecFiles.write(dir, "p.yaml", "dataset: {name: gmm}\n");
        RunSpec local = SpecFiles.loader(dir).loadPipeline(file, CommandLineValue.sets(List.of())).get(0);
        assertNull(local.tracking().mlflowUri());
        assertEquals(new RunSpec.Tracking(null, "p", "manual"), local.tracking());
        assertEquals(new RunSpec.Runner("flink-embedded", null), local.runner());
        assertEquals(dir.resolve("runs/p").resolve("p-" + local.specHash()).toString(), local.outputDir());
        RunSpec withEnv = new SpecLoader(Map.of("MLFLOW_TRACKING_URI", "http://127.0.0.1:5000"), dir)
                .loadPipeline(file, CommandLineValue.sets(List.of("runner.kind=flink-cluster",
                        "runner.flink_master=127.0.0.1:8081",
                        "output=/tmp/out"))).get(0);
        assertEquals("http://127.0.0.1:5000", withEnv.tracking().mlflowUri());
        assertEquals(new RunSpec.Runner("flink-cluster", "127.0.0.1:8081"), withEnv.runner());
        assertEquals("/tmp/out/p/p-" + withEnv.specHash(), withEnv.outputDir());
    }
}
