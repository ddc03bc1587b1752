package dev.shortrun.model.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run folder's layout, its checkpoint listing and its atomic writes. */
class RunDirectoryTest {
    @TempDir
    Path root;

    @Test
    void layoutNamesEveryFileAndFolder() {
        RunDirectory run = new RunDirectory(root);
        assertEquals(root.resolve("checkpoints"), run.checkpointsDir());
        assertEquals(root.resolve("checkpoints/iter-000042.json"), run.checkpointJson(42));
        assertEquals(root.resolve("metrics.csv"), run.metricsCsv());
        assertEquals(root.resolve("samples"), run.samplesDir());
        assertEquals(root.resolve("samples/iter-001200.png"), run.samplePicture(1200));
        assertEquals(root.resolve("training.png"), run.trainingPng());
        assertEquals(root.resolve("diagnostics.png"), run.diagnosticsPng());
        assertEquals(root.resolve("spec.json"), run.specJson());
        assertEquals(root.resolve("tracking-url.txt"), run.trackingUrlFile());
        assertEquals(root.resolve("steps"), run.stepsDir());
        assertEquals(root.resolve("generator"), run.generatorDir());
        assertEquals(root.resolve("diagnose"), run.diagnoseDir());
        assertEquals(root.resolve("density"), run.densityDir());
        assertEquals(root.resolve("scores"), run.scoresDir());
        assertEquals("iter-000007", RunDirectory.iterName(7));
        assertEquals("iter-1234567", RunDirectory.iterName(1_234_567)); // wider than the padding: still sorts last
        assertEquals(root.toAbsolutePath(), RunDirectory.ofCheckpoint(run.checkpointJson(3)).root());
    }

    /** A checkpoint exists exactly when its JSON does (written last); other files in the folder do not count. */
    @Test
    void newestCheckpointIsTheHighestCompleteOne() throws IOException {
        RunDirectory run = new RunDirectory(root);
        assertEquals(Optional.empty(), run.newestCheckpoint(), "no checkpoints folder yet");
        assertEquals(List.of(), run.checkpointJsons());
        Files.createDirectories(run.checkpointsDir());
        for (long i : new long[] {100, 20, 3}) {
            Files.writeString(run.checkpointJson(i), "{}");
        }
        Path half = run.checkpointsDir().resolve("iter-000200.safetensors"); // its JSON was never committed
        Files.writeString(half, "");
        Files.writeString(run.checkpointsDir().resolve(".iter-000300.json.123.tmp"), "");
        Files.writeString(run.checkpointsDir().resolve("iter-000100.bank.safetensors"), "");
        assertEquals(List.of(run.checkpointJson(3), run.checkpointJson(20), run.checkpointJson(100)),
                run.checkpointJsons());
        assertEquals(Optional.of(run.checkpointJson(100)), run.newestCheckpoint());
        assertEquals(run.checkpointJson(100), RunDirectory.checkpointOf(root));
        assertEquals(run.checkpointJson(20), RunDirectory.checkpointOf(run.checkpointJson(20)));
    }

    @Test
    void checkpointOfNamesWhatIsMissing() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RunDirectory.checkpointOf(root));
        assertTrue(e.getMessage().contains(root.resolve("checkpoints").toString()), e.getMessage());
        Path gone = root.resolve("checkpoints/iter-000009.json");
        e = assertThrows(IllegalArgumentException.class, () -> RunDirectory.checkpointOf(gone));
        assertTrue(e.getMessage().contains(gone.toString()), e.getMessage());
    }

    /**
     * spec.json and tracking-url.txt are replaced by rename, never rewritten in place: a reader that opened the old
     * file still reads it whole, and no temporary file is left behind.
     */
    @Test
    void specAndTrackingUrlAreWrittenAtomically() throws IOException {
        RunDirectory run = new RunDirectory(root.resolve("new-run"));
        String first = "{\"runName\":\"a\"}".repeat(1000);
        assertEquals(run.specJson(), run.writeSpec(first));
        try (InputStream reader = Files.newInputStream(run.specJson())) {
            run.writeSpec("{\"runName\":\"b\"}");
            assertEquals(first, new String(reader.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertEquals("{\"runName\":\"b\"}", Files.readString(run.specJson()));

        assertEquals(Optional.empty(), run.trackingUrl());
        run.writeTrackingUrl("http://127.0.0.1:5000/#/experiments/1/runs/abc");
        assertEquals(Optional.of("http://127.0.0.1:5000/#/experiments/1/runs/abc"), run.trackingUrl());
        try (Stream<Path> files = Files.list(run.root())) {
            assertEquals(List.of("spec.json", "tracking-url.txt"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }
}
