package dev.shortrun.cli;

import static dev.shortrun.cli.CliEndToEndTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shortrun.cli.CliEndToEndTest.Outcome;
import dev.shortrun.steps.CodeVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Running a pipeline again, as scheduled and CI jobs do: checkpoint steps that finished are reused from
 * {@code RUN/steps/} (nothing computed or logged twice), a step whose own settings changed runs again, an unreadable
 * record is ignored with a warning, so are changed checkpoint weights, and {@code --recompute-steps} runs them all
 * again.
 */
class StepReuseTest {
    @Test
    void aPipelineRunAgainReusesItsFinishedStepsAndLogsNothingTwice(@TempDir Path tmp) throws IOException {
        Path spec = tmp.resolve("again.yaml");
        Files.writeString(spec, String.join("\n",
                "name: again",
                "dataset: {name: gmm}",
                "model: {n_f: 8}",
                "sampler: {K: 5}",
                "learner: {iterations: 6, batch: 32, lr: 1.0e-3}",
                "checkpoints: {every: 3, grid_every: 3}",
                "steps: [sample, diagnose]",
                "sample: {n: 16, k_values: [0, 5]}",
                "diagnose: {steps: 200, chains: 4}",
                "resources: {parallelism: 1, threads_per_worker: 1}",
                ""));
        Path out = tmp.resolve("out");

        Outcome first = run(spec, out);
        Path runDir = onlyRun(out, "again");
        Path metrics = out.resolve("again/tracking").resolve(runDir.getFileName()).resolve("metrics.csv");
        Path records = runDir.resolve("steps");
        assertEquals(List.of("diagnose-iter-000006.json", "sample-iter-000003.json", "sample-iter-000006.json"),
                names(records));
        assertFalse(first.err().contains("finished earlier"), first.err());
        String logged = Files.readString(metrics);
        assertNoPointTwice(logged);
        String summary = Files.readString(out.resolve("again/summaries/again.csv"));
        // provenance: the code that computed an outcome; a reuse by other code says so
        Path sample3 = records.resolve("sample-iter-000003.json");
        String code = "\"code\": \"" + CodeVersion.current() + "\"";
        assertTrue(Files.readString(sample3).contains(code), Files.readString(sample3));
        Files.writeString(sample3, Files.readString(sample3).replace(code, "\"code\": \"0123abc\""));

        Outcome second = run(spec, out);
        for (String reused : List.of("sample iter 3", "sample iter 6", "diagnose iter 6")) {
            assertTrue(second.err().contains(reused + ": finished earlier, reusing " + records), second.err());
        }
        assertTrue(second.err().contains("sample-iter-000003.json (computed by shortrun 0123abc, now "
                + CodeVersion.current() + "; --recompute-steps runs it again)"), second.err());
        assertFalse(second.err().contains("sample-iter-000006.json (computed by"), second.err());
        assertEquals(logged, Files.readString(metrics), "the second run logged metrics again");
        assertEquals(summary, Files.readString(out.resolve("again/summaries/again.csv")),
                "the reused outcomes must give the same summary");

        // diagnose's own settings are not part of the run's hash: same run, diagnose runs again, sample does not;
        // an unreadable record is ignored and its step runs again
        String keptSample6 = Files.readString(records.resolve("sample-iter-000006.json"));
        String oldDiagnosis = Files.readString(records.resolve("diagnose-iter-000006.json"));
        Files.writeString(records.resolve("sample-iter-000003.json"), "{\"format\": \"shortrun-st");
        Outcome third = run(spec, out, "--set", "diagnose.steps=300");
        assertEquals(runDir, onlyRun(out, "again"));
        assertTrue(third.err().contains("sample iter 6: finished earlier"), third.err());
        assertFalse(third.err().contains("sample iter 3: finished earlier"), third.err());
        assertTrue(third.err().contains("ignoring unreadable step record " + records.resolve(
                "sample-iter-000003.json")), third.err());
        assertFalse(third.err().contains("diagnose iter 6: finished earlier"), third.err());
        assertNotEquals(oldDiagnosis, Files.readString(records.resolve("diagnose-iter-000006.json")));
        assertEquals(keptSample6, Files.readString(records.resolve("sample-iter-000006.json")));
        assertTrue(Files.readString(records.resolve("sample-iter-000003.json")).contains("sample_grad_norm"));

        // a checkpoint whose weights changed (trained again elsewhere) is a new input: its steps run again
        Path weights = runDir.resolve("checkpoints/iter-000003.safetensors");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 1] ^= 1;
        Files.write(weights, bytes);
        Outcome changed = run(spec, out, "--set", "diagnose.steps=300");
        assertFalse(changed.err().contains("sample iter 3: finished earlier"), changed.err());
        assertTrue(changed.err().contains("sample iter 6: finished earlier"), changed.err());
        assertTrue(changed.err().contains("diagnose iter 6: finished earlier"), changed.err());

        Outcome fourth = run(spec, out, "--set", "diagnose.steps=300", "--recompute-steps");
        assertFalse(fourth.err().contains("finished earlier"), fourth.err());
        assertEquals(3, names(records).size());
    }

    /** {@code shortrun run SPEC} on the direct runner into {@code out}; it must succeed. */
    static Outcome run(Path spec, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", spec.toString(), "--runner", "direct", "--set",
                "output=" + out));
        args.addAll(List.of(extra));
        Outcome o = cli(args.toArray(String[]::new));
        assertEquals(0, o.code(), o.err());
        return o;
    }

    /** The one run folder of pipeline {@code name} under {@code out}. */
    static Path onlyRun(Path out, String name) throws IOException {
        try (Stream<Path> dirs = Files.list(out.resolve(name))) {
            List<Path> runs = dirs.filter(d -> d.getFileName().toString().startsWith(name + "-")).toList();
            assertEquals(1, runs.size(), runs.toString());
            return runs.get(0);
        }
    }

    /** The file names in {@code dir}, sorted. */
    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    /** Local tracking rows are step,key,value,timestamp: no (step, key) twice. */
    private static void assertNoPointTwice(String csv) {
        Set<String> seen = new HashSet<>();
        csv.lines().skip(1).forEach(l -> {
            String[] f = l.split(",");
            assertTrue(seen.add(f[0] + "," + f[1]), "logged twice: " + l);
        });
        assertTrue(seen.contains("6,sample_grad_norm") && seen.contains("3,sample_grad_norm"), csv);
    }
}
