package dev.shortrun.steps.record;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.data.DataConfig;
import dev.shortrun.model.io.Npy;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.learning.LearnerConfig;
import dev.shortrun.model.learning.OptimizerConfig;
import dev.shortrun.model.learning.Schedule;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.nets.Activation;
import dev.shortrun.model.nets.Architecture;
import dev.shortrun.model.nets.NetConfig;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.run.Trainer;
import dev.shortrun.model.sampling.Initializer;
import dev.shortrun.model.sampling.LangevinConfig;
import dev.shortrun.steps.RunSpec;
import dev.shortrun.steps.StepSettings;
import dev.shortrun.steps.tracking.LoggedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model a run logs: its MLmodel names the files and the input signature, and a Python user who loads the model's
 * folder into the reference PyTorch network (infra/reference/load_model.py, Debian python3-torch) gets the same f(x)
 * as shortrun.
 */
class CheckpointModelTest {
    @TempDir
    Path dir;

    @Test
    void theFinalCheckpointIsAnMlflowModelThatThePyTorchReferenceLoads() throws Exception {
        Path runDir = dir.resolve("run");
        TrainConfig train = new TrainConfig(new DataConfig("gmm", null, "train", 1, 0),
                new NetConfig(Architecture.TOY, 2, 8, Activation.LEAKY_RELU, 0.05), new LangevinConfig(1, 0.01, 5, 5),
                new LearnerConfig(32, Schedule.constant(0), Schedule.constant(1e-2), OptimizerConfig.adam(),
                        Initializer.gaussian(2), LearnerConfig.DEFAULT_DIVERGENCE_BOUND), 123, 2, 2, 2);
        Trainer.start(train, runDir, new Trainer.Listener() { });
        Files.writeString(runDir.resolve("spec.json"), "{}");
        RunSpec spec = new RunSpec("p", "p-0123456789ab", "0123456789ab", train, List.of(), new StepSettings(Map.of()),
                new RunSpec.Tracking(null, "p", "manual", "gmm-toy"), new RunSpec.Runner("direct", null),
                new RunSpec.Resources(1, 1, "cpu"), runDir.toString(), new TreeMap<>(), Map.of());
        Path json = new RunDirectory(runDir).newestCheckpoint().orElseThrow();

        LoggedModel model = CheckpointModel.of(spec, json, Instant.parse("2026-12-01T10:00:00Z"));
        assertEquals("model", model.name());
        assertEquals("gmm-toy", model.registeredName());
        assertEquals(List.of("MLmodel", "checkpoints/iter-000002.json", "checkpoints/iter-000002.safetensors",
                "spec.json"), List.copyOf(model.files().keySet()));
        String mlmodel = Files.readString(model.files().get("MLmodel"));
        assertTrue(mlmodel.contains("\n  shortrun:\n    format: shortrun-checkpoint/1\n"), mlmodel);
        assertTrue(mlmodel.contains("    weights: checkpoints/iter-000002.safetensors\n"), mlmodel);
        assertTrue(mlmodel.contains("\"tensor-spec\": {\"dtype\": \"float32\", \"shape\": [-1, 2]}"), mlmodel);
        assertTrue(mlmodel.contains("utc_time_created: '2026-12-01 10:00:00.000000'"), mlmodel);

        // the model as MLflow hands it out: its files in one folder
        Path downloaded = dir.resolve("downloaded");
        for (Map.Entry<String, Path> f : model.files().entrySet()) {
            Files.createDirectories(downloaded.resolve(f.getKey()).getParent());
            Files.copy(f.getValue(), downloaded.resolve(f.getKey()));
        }
        float[] points = {0.5f, -0.25f, -1f, 1f, 0.1f, 0.9f, 0f, 0f};
        Npy.write(dir.resolve("x.npy"), new Tensor(new long[] {4, 2}, points));
        Path script = repoRoot().resolve("infra/reference/load_model.py");
        Process p = new ProcessBuilder(python(), script.toString(), downloaded.toString(),
                dir.resolve("x.npy").toString(), dir.resolve("f.npy").toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "load_model.py did not finish");
        assertEquals(0, p.exitValue(), "load_model.py failed (is python3-torch installed?):\n" + output);
        float[] python = Npy.read(dir.resolve("f.npy")).data();

        try (NDManager manager = NDManager.newBaseManager();
             CheckpointSampler sampler = new CheckpointSampler(RunDirectory.checkpointOf(downloaded), manager)) {
            NDArray x = manager.create(points, new Shape(4, 2));
            float[] java = sampler.net().forward(x).toFloatArray();
            assertEquals(4, python.length);
            for (int i = 0; i < 4; i++) {
                assertEquals(java[i], python[i], 1e-5 * Math.max(1, Math.abs(java[i])), "f(x) of point " + i);
            }
        }
    }

    private static String python() {
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    private static Path repoRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("infra/reference"))) {
                return d;
            }
        }
        throw new AssertionError("no infra/reference above " + Path.of("").toAbsolutePath());
    }
}
