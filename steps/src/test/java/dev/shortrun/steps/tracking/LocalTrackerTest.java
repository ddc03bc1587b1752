package dev.shortrun.steps.tracking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalTrackerTest {
    @TempDir
    Path root;

    @Test
    void roundTripOfParamsMetricsArtifactsTagsAndStatus() throws Exception {
        Path png = TestFiles.png(root.resolve("src"), "grid.png", 5);
        String runDir;
        try (LocalTracker tracker = new LocalTracker(root.resolve("runs"))) {
            RunHandle run = tracker.startRun("exp", "run-a", Map.of("dataset", "mnist"), "sweep-1");
            assertEquals("run-a", run.id());
            runDir = run.url();
            assertEquals("RUNNING", Files.readString(Path.of(runDir, "status")).trim());
            run.logParams(Map.of("z", "1", "a", "2"));
            run.logParams(Map.of("m", "3"));
            for (int step = 0; step < 150; step++) { // more than one flush interval
                run.logMetrics(step, new TreeMap<>(Map.of("loss", step * 0.5, "odd,key", -1.0)));
            }
            run.logArtifact(png, "samples/iter-10");
            run.logArtifact(png, "");
            run.setTag("verdict", "stable");
            run.finish(RunHandle.FINISHED);
        }
        Path dir = root.resolve("runs/run-a");
        assertEquals(dir.toAbsolutePath().toString(), runDir);

        String params = Files.readString(dir.resolve("params.json"));
        assertTrue(params.indexOf("\"a\"") < params.indexOf("\"m\"") && params.indexOf("\"m\"") < params.indexOf("\"z\""),
                "keys not sorted: " + params);
        assertTrue(params.contains("\"z\": \"1\""), params);

        String tags = Files.readString(dir.resolve("tags.json"));
        assertTrue(tags.contains("\"verdict\": \"stable\""), tags);
        assertTrue(tags.contains("\"dataset\": \"mnist\""), tags);
        assertTrue(tags.contains("\"shortrun.parentRunId\": \"sweep-1\""), tags);

        List<String> rows = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals("step,key,value,timestamp_ms", rows.get(0));
        assertEquals(1 + 300, rows.size());
        assertTrue(rows.get(1).startsWith("0,loss,0.0,"), rows.get(1));
        assertTrue(rows.get(2).startsWith("0,\"odd,key\",-1.0,"), rows.get(2));
        assertTrue(rows.get(299).startsWith("149,loss,74.5,"), rows.get(299));

        byte[] original = Files.readAllBytes(png);
        assertArrayEquals(original, Files.readAllBytes(dir.resolve("artifacts/samples/iter-10/grid.png")));
        assertArrayEquals(original, Files.readAllBytes(dir.resolve("artifacts/grid.png")));
        try (Stream<Path> files = Files.walk(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temp files left behind");
        }
        assertEquals("FINISHED", Files.readString(dir.resolve("status")).trim());
    }

    @Test
    void resumeAppendsToAnExistingRunAndAFreshStartRefusesToOverwriteIt() throws Exception {
        try (LocalTracker tracker = new LocalTracker(root)) {
            RunHandle first = tracker.startRun("exp", "r", Map.of(), null);
            first.logParams(Map.of("lr", "0.1"));
            first.logMetrics(0, Map.of("loss", 3.0));
            first.finish(RunHandle.KILLED);

            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> tracker.startRun("exp", "r", Map.of(), null));
            assertTrue(e.getMessage().contains("resume=true"), e.getMessage());

            RunHandle again = tracker.startRun("exp", "r", Map.of(), null, true);
            again.logParams(Map.of("steps", "10"));
            again.logMetrics(1, Map.of("loss", 2.0));
            again.finish(RunHandle.FINISHED);
        }
        List<String> rows = Files.readAllLines(root.resolve("r/metrics.csv"));
        assertEquals(3, rows.size());
        assertTrue(rows.get(2).startsWith("1,loss,2.0,"), rows.get(2));
        String params = Files.readString(root.resolve("r/params.json"));
        assertTrue(params.contains("\"lr\": \"0.1\"") && params.contains("\"steps\": \"10\""), params);
        assertEquals("FINISHED", Files.readString(root.resolve("r/status")).trim());
    }

    /** Killed at step 5 mid-row and resumed from a checkpoint at step 2: steps 3..5 are not appended again. */
    @Test
    void aResumedRunAppendsOnlyTheStepsItsEarlierAttemptDidNotReach() throws Exception {
        String quoted = "odd,\"key\"";
        try (LocalTracker tracker = new LocalTracker(root)) {
            RunHandle killed = tracker.startRun("exp", "r", Map.of(), null);
            for (int step = 1; step <= 5; step++) {
                killed.logMetrics(step, new TreeMap<>(Map.of("loss", (double) step, quoted, -1.0)));
            }
            killed.close();
        }
        Path csv = root.resolve("r/metrics.csv");
        Files.writeString(csv, "6,loss,6.", StandardOpenOption.APPEND); // a buffered row the kill cut short
        try (LocalTracker tracker = new LocalTracker(root)) {
            RunHandle again = tracker.startRun("exp", "r", Map.of(), null, true);
            again.skipStepsAlreadyRecorded();
            for (int step = 3; step <= 7; step++) {
                again.logMetrics(step, new TreeMap<>(Map.of("loss", 10.0 + step, quoted, -2.0)));
            }
            again.finish(RunHandle.FINISHED);
        }
        List<String> rows = Files.readAllLines(csv);
        assertEquals("step,key,value,timestamp_ms", rows.get(0));
        List<String> loss = rows.stream().filter(r -> r.contains(",loss,")).map(r -> r.split(",")[0] + "="
                + r.split(",")[2]).toList();
        assertEquals(List.of("1=1.0", "2=2.0", "3=3.0", "4=4.0", "5=5.0", "6=16.0", "7=17.0"), loss);
        assertEquals(7, rows.stream().filter(r -> r.contains("\"odd,\"\"key\"\"\"")).count());

        // per-checkpoint metrics may come in any order, so a plain reopen records an earlier step too
        try (LocalTracker tracker = new LocalTracker(root)) {
            tracker.startRun("exp", "r", Map.of(), null, true).logMetrics(2, Map.of("loss", 0.5));
        }
        assertTrue(Files.readString(csv).contains("\n2,loss,0.5,"));
    }

    /** A checkpoint step adds its outcome to a finished run: the run is RUNNING meanwhile, FINISHED again after. */
    @Test
    void aRunThatHadEndedAndIsResumedToAddRecordsGetsItsStatusBackAtItsClose() throws Exception {
        Path status = root.resolve("r/status");
        try (LocalTracker tracker = new LocalTracker(root)) {
            tracker.startRun("exp", "r", Map.of(), null).finish(RunHandle.FINISHED);
        }
        try (LocalTracker tracker = new LocalTracker(root)) {
            RunHandle step = tracker.startRun("exp", "r", Map.of(), null, true);
            step.logMetrics(6, Map.of("sample_grad_norm", 0.01));
            assertEquals("RUNNING", Files.readString(status).trim());
            step.close();
            assertEquals("FINISHED", Files.readString(status).trim());
        }
        try (LocalTracker tracker = new LocalTracker(root)) {
            tracker.startRun("exp", "r", Map.of(), null, true).finish(RunHandle.FAILED);
        }
        assertEquals("FAILED", Files.readString(status).trim(), "a status given at finish wins");

        Files.writeString(status, "RUNNING\n"); // an attempt killed before its end stays as it was
        try (LocalTracker tracker = new LocalTracker(root)) {
            tracker.startRun("exp", "r", Map.of(), null, true);
        }
        assertEquals("RUNNING", Files.readString(status).trim());
    }

    @Test
    void aResumeOverAMangledMetricsRowNamesTheFileAndLine() throws Exception {
        Path dir = Files.createDirectories(root.resolve("r"));
        Files.writeString(dir.resolve("metrics.csv"), "step,key,value,timestamp_ms\n1,loss,1.0,5\nloss 2.0\n");
        try (LocalTracker tracker = new LocalTracker(root)) {
            RunHandle run = tracker.startRun("exp", "r", Map.of(), null, true);
            IllegalStateException e = assertThrows(IllegalStateException.class, run::skipStepsAlreadyRecorded);
            assertTrue(e.getMessage().contains("metrics.csv line 3 ") && e.getMessage().contains("'loss 2.0'"),
                    e.getMessage());
        }
    }

    @Test
    void badNamesAndStatusesAreRefusedWithTheValue() {
        try (LocalTracker tracker = new LocalTracker(root)) {
            IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                    () -> tracker.startRun("exp", "../escape", Map.of(), null));
            assertTrue(name.getMessage().contains("../escape"));
            RunHandle run = tracker.startRun("exp", "ok", Map.of(), null);
            IllegalArgumentException dir = assertThrows(IllegalArgumentException.class,
                    () -> run.logArtifact(root.resolve("ok/status"), "a/../../b"));
            assertTrue(dir.getMessage().contains("a/../../b"));
            IllegalArgumentException status = assertThrows(IllegalArgumentException.class, () -> run.finish("DONE"));
            assertTrue(status.getMessage().contains("DONE"));
        }
    }
}
