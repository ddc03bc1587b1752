package dev.shortrun.model.run;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.shortrun.model.learning.OptimizerConfig;
import dev.shortrun.model.torch.Torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A damaged or hand-edited newest checkpoint fails the resume with one line naming the file and the field, and
 * leaves the run folder exactly as it was. On the code before this test, a checkpoint without {@code iteration}
 * resumed from 0 and overwrote the run's checkpoints and metrics.csv, {@code iteration: -3} cut metrics.csv to its
 * header before failing, and a {@code weights} of {@code ../../other/...} loaded another run's weights.
 */
class ResumeSafetyTest {
    @TempDir
    static Path runs;
    static Path trained;
    static Path other;
    @TempDir
    Path tmp;

    @BeforeAll
    static void trainTwoCheckpoints() {
        Torch.configure(2);
        trained = runs.resolve("trained");
        other = runs.resolve("other");
        Trainer.start(Runs.gmm(2, 2, 4, 2, OptimizerConfig.adam(), 1e-3, 1e6), trained, Runs.QUIET);
        Trainer.start(Runs.gmm(2, 2, 4, 2, OptimizerConfig.adam(), 1e-2, 1e6), other, Runs.QUIET);
    }

    @Test
    void aCheckpointWithoutIterationIsRefusedAndNothingChanges() throws IOException {
        refused(json -> json.remove("iteration"), "field 'iteration' is missing; expected the number of completed "
                + "iterations, a whole number >= 1");
    }

    @Test
    void aNegativeOrMisnamedIterationIsRefusedAndMetricsKeepTheirRows() throws IOException {
        refused(json -> json.addProperty("iteration", -3), "field 'iteration' is -3; expected the number of "
                + "completed iterations, a whole number >= 1");
        refused(json -> json.addProperty("iteration", 2.5), "field 'iteration' is 2.5; expected the number of "
                + "completed iterations, a whole number >= 1");
        refused(json -> json.addProperty("iteration", 2), "field 'iteration' is 2 but the file is named for "
                + "iteration 4");
    }

    @Test
    void weightsOutsideTheCheckpointFolderAreNotFollowed() throws IOException {
        Path foreign = other.resolve("checkpoints/iter-000004.safetensors");
        String expected = "; expected a file name in " + tmp.resolve("run/checkpoints") + " (no folder part)";
        refused(json -> json.addProperty("weights", "../../" + other.getFileName() + "/checkpoints/"
                + foreign.getFileName()), "field 'weights' is \"../../" + other.getFileName() + "/checkpoints/"
                + foreign.getFileName() + "\"" + expected);
        refused(json -> json.addProperty("weights", foreign.toString()),
                "field 'weights' is \"" + foreign + "\"" + expected);
        refused(json -> json.addProperty("optimizerState", ".."), "field 'optimizerState' is \"..\"" + expected);
        refused(json -> json.addProperty("bank", "/etc/passwd"), "field 'bank' is \"/etc/passwd\"" + expected);
    }

    @Test
    void missingOrMalformedFieldsAreNamed() throws IOException {
        refused(json -> json.remove("weights"), "field 'weights' is missing; expected a file name in "
                + tmp.resolve("run/checkpoints") + " (no folder part)");
        refused(json -> json.remove("config"), "field 'config' is missing; expected the run's resolved settings "
                + "(data, net, langevin, learner, ...)");
        refused(json -> json.getAsJsonObject("config").remove("learner"), "field 'config' is not the run's "
                + "resolved settings (data, net, langevin, learner, ...): data, net, langevin and learner settings "
                + "are required");
        refused(json -> json.addProperty("rngState", "twelve"), "field 'rngState' is \"twelve\"; expected the RNG "
                + "state, a decimal 64-bit integer in a string");
        refused(json -> json.add("rngState", new JsonPrimitive(12)), "field 'rngState' is 12; expected the RNG "
                + "state, a decimal 64-bit integer in a string");
        refused(json -> json.remove("dataFingerprint"), "field 'dataFingerprint' is missing; expected the "
                + "fingerprint of the training data");
        refused(json -> json.addProperty("optimizerSteps", -1), "field 'optimizerSteps' is -1; expected the "
                + "optimiser's step count, a whole number >= 0");
        refused(json -> json.addProperty("optimizer", "SGD"), "field 'optimizer' is \"SGD\" but "
                + "config.learner.optimizer is ADAM");
    }

    @Test
    void anIntactCopyStillResumes() throws IOException {
        Path run = copy(trained, tmp.resolve("run"));
        assertEquals(6, Trainer.resume(run, 6, Runs.QUIET).iterations());
        assertEquals(6, Runs.metricsRows(run).size());
    }

    /**
     * Copies the trained run, edits its newest checkpoint's JSON, and requires {@code train --resume --iterations
     * 15} to fail with {@code checkpoint FILE: problem} and every file of the run folder unchanged.
     */
    private void refused(Consumer<JsonObject> edit, String problem) throws IOException {
        Path run = tmp.resolve("run");
        deleteTree(run);
        copy(trained, run);
        Path json = run.resolve("checkpoints/iter-000004.json");
        JsonObject object = JsonParser.parseString(Files.readString(json)).getAsJsonObject();
        edit.accept(object);
        Files.writeString(json, Checkpoint.GSON.toJson(object));
        Map<Path, byte[]> before = contents(run);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Trainer.resume(run, 15, Runs.QUIET));
        assertEquals("checkpoint " + json + ": " + problem, e.getMessage());
        Map<Path, byte[]> after = contents(run);
        assertEquals(before.keySet(), after.keySet(), "files added or removed by a refused resume");
        before.forEach((file, bytes) -> assertArrayEquals(bytes, after.get(file), file + " changed"));
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
        return to;
    }

    private static Map<Path, byte[]> contents(Path dir) throws IOException {
        Map<Path, byte[]> all = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                all.put(dir.relativize(f), Files.readAllBytes(f));
            }
        }
        return all;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
