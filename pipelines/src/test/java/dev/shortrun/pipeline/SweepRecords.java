package dev.shortrun.pipeline;

import com.google.gson.JsonObject;
import dev.shortrun.model.run.RunState;
import dev.shortrun.model.run.RunStateFile;
import dev.shortrun.steps.tracking.MlflowServerView;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a sweep left in MLflow and in its folders, as the rerun tests check it. */
final class SweepRecords {
    /** A run as MLflow lists it, named as its run folder (the tag shortrun.run_name; the UI shows another name). */
    record Run(String id, String name, String status, long endTime) {
        static Run of(JsonObject run) {
            JsonObject info = run.getAsJsonObject("info");
            String name = info.get("run_name").getAsString();
            JsonObject data = run.getAsJsonObject("data");
            if (data != null && data.has("tags")) {
                for (var tag : data.getAsJsonArray("tags")) {
                    if (tag.getAsJsonObject().get("key").getAsString().equals("shortrun.run_name")) {
                        name = tag.getAsJsonObject().get("value").getAsString();
                    }
                }
            }
            return new Run(info.get("run_id").getAsString(), name, info.get("status").getAsString(),
                    info.has("end_time") ? info.get("end_time").getAsLong() : 0);
        }
    }

    private final MlflowServerView view;
    private final String experimentId;
    private final String sweep;

    SweepRecords(String uri, String sweep) {
        this.view = new MlflowServerView(uri);
        this.experimentId = view.experimentId(sweep);
        this.sweep = sweep;
    }

    MlflowServerView view() {
        return view;
    }

    /** The sweep's only parent run. */
    Run parent() {
        List<JsonObject> parents = view.search(experimentId, "tags.shortrun.sweep = '" + sweep + "'");
        assertEquals(1, parents.size(), "parents of " + sweep + ": " + parents);
        return Run.of(parents.get(0));
    }

    /** The parent's children by name; each name once. */
    Map<String, Run> children() {
        Map<String, Run> byName = new TreeMap<>();
        for (JsonObject child : view.search(experimentId, "tags.mlflow.parentRunId = '" + parent().id() + "'")) {
            Run run = Run.of(child);
            assertTrue(byName.put(run.name(), run) == null, "child " + run.name() + " twice");
        }
        return byName;
    }

    /** One f_diff point per iteration, 1..iterations, each once. */
    void assertEveryIterationOnce(Run child, long iterations) {
        assertEquals(LongStream.rangeClosed(1, iterations).boxed().toList(),
                view.history(child.id(), "f_diff").stream().map(p -> (long) p[0]).toList(), child.name());
    }

    /** The run's state and its local record's status are {@code status}; no (step, key) twice in its record. */
    static void assertLocal(Path root, String run, String status) throws IOException {
        assertLocal(root, run, status, "");
    }

    /** The same, with {@code context} (the command's output, say) in the message of a failure. */
    static void assertLocal(Path root, String run, String status, String context) throws IOException {
        assertEquals(status, RunStateFile.read(root.resolve(run)).map(RunState::status).orElse("none"),
                () -> run + " " + RunStateFile.read(root.resolve(run)) + "\n" + context);
        Path record = root.resolve("tracking").resolve(run);
        assertEquals(status, Files.readString(record.resolve("status")).trim(), () -> run + " local record\n"
                + context);
        Set<String> seen = new HashSet<>();
        for (String row : Files.readAllLines(record.resolve("metrics.csv")).subList(1,
                Files.readAllLines(record.resolve("metrics.csv")).size())) {
            String[] f = row.split(",");
            assertTrue(seen.add(f[0] + "," + f[1]), "logged twice locally: " + row);
        }
    }
}
