package dev.shortrun.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shortrun.model.io.Npy;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.torch.Precision;
import dev.shortrun.model.torch.Torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The {@code shortrun} command line end to end on real MNIST: train, sample, resume, and its error handling. */
class CliEndToEndTest {
    @BeforeAll
    static void engine() {
        // Load the engine up front so its start-up log lines do not land in the captured stderr of a test.
        Torch.configure(2);
    }

    /** Exit code and everything printed to stdout and stderr. */
    record Outcome(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    static synchronized Outcome cli(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            code = Main.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        Outcome r = new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        oldErr.println("shortrun " + String.join(" ", args) + " -> " + code + "\n--- stdout\n" + r.out
                + "--- stderr\n" + r.err + "---");
        return r;
    }

    static Path mnist() {
        String shared = System.getProperty("shortrun.shared");
        assertNotNull(shared, "system property shortrun.shared is not set (surefire sets it; run through Maven)");
        Path p = Path.of(shared, "data", "mnist").normalize();
        assertTrue(Files.isDirectory(p), "shared test data missing: " + p);
        return p;
    }

    static String[] train(Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--dataset", "mnist", "--data-dir", mnist().toString(),
                "--cap", "256", "--n-f", "4", "--K", "3", "--batch", "8", "--iterations", "4",
                "--checkpoint-every", "2", "--grid-every", "2", "--out", out.toString()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    static BufferedImage png(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), "missing " + file);
        BufferedImage img = ImageIO.read(file.toFile());
        assertNotNull(img, file + " does not decode as an image");
        return img;
    }

    static List<String> metricsData(Path run) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        assertTrue(lines.get(0).startsWith("iteration,"), "header: " + lines.get(0));
        return lines.subList(1, lines.size());
    }

    @Test
    void trainSampleResume(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("run");
        Outcome t = cli(train(run));
        assertEquals(0, t.code, t.err);
        assertTrue(t.out.contains("done: 4 iterations"), t.out);

        // Sample grids at iterations 1 (always), 2 and 4: 8 images, floor(sqrt(8)) = 2 per row, 4 rows, padding 2.
        try (Stream<Path> files = Files.list(run.resolve("samples"))) {
            assertEquals(List.of("iter-000001.png", "iter-000002.png", "iter-000004.png"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        for (String name : List.of("iter-000001.png", "iter-000002.png", "iter-000004.png")) {
            BufferedImage grid = png(run.resolve("samples").resolve(name));
            assertEquals(2 * (32 + 2) + 2, grid.getWidth(), name + " width");
            assertEquals(4 * (32 + 2) + 2, grid.getHeight(), name + " height");
        }
        BufferedImage curves = png(run.resolve("training.png"));
        assertTrue(curves.getWidth() > 100 && curves.getHeight() > 100);
        List<String> rows = metricsData(run);
        assertEquals(4, rows.size(), "metrics rows: " + rows);
        for (int i = 0; i < 4; i++) {
            assertTrue(rows.get(i).startsWith((i + 1) + ","), rows.get(i));
        }
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/iter-000002.json")));
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/iter-000004.json")));

        // sample from the run directory: 9 samples as .npy and a 3x3 grid.
        Path npy = tmp.resolve("s.npy");
        Path grid = tmp.resolve("s.png");
        Outcome s = cli("sample", run.toString(), "--n", "9", "--K", "3", "--save", npy.toString(),
                "--out", grid.toString());
        assertEquals(0, s.code, s.err);
        Tensor samples = Npy.read(npy);
        assertArrayEquals(new long[] {9, 1, 32, 32}, samples.shape());
        for (float v : samples.data()) {
            assertTrue(Float.isFinite(v), "non-finite sample value " + v);
        }
        BufferedImage sg = png(grid);
        assertEquals(3 * 34 + 2, sg.getWidth());
        assertEquals(3 * 34 + 2, sg.getHeight());

        // --init with K 0 and no noise returns the init exactly; a deterministic chain is reproducible.
        float[] values = new float[4 * 32 * 32];
        Random random = new Random(7);
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat() * 2 - 1;
        }
        Path init = tmp.resolve("init.npy");
        Npy.write(init, new Tensor(new long[] {4, 1, 32, 32}, values));
        Path same = tmp.resolve("out.npy");
        Outcome k0 = cli("sample", run.resolve("checkpoints/iter-000004.json").toString(), "--init", init.toString(),
                "--no-noise", "--K", "0", "--save", same.toString(), "--out", tmp.resolve("k0.png").toString());
        assertEquals(0, k0.code, k0.err);
        Tensor back = Npy.read(same);
        assertArrayEquals(new long[] {4, 1, 32, 32}, back.shape());
        assertTrue(Arrays.equals(values, back.data()), "K 0 without noise must return the init unchanged");

        Path d1 = tmp.resolve("d1.npy");
        Path d2 = tmp.resolve("d2.npy");
        for (Path d : List.of(d1, d2)) {
            Outcome det = cli("sample", run.toString(), "--init", init.toString(), "--no-noise", "--K", "2",
                    "--seed", d == d1 ? "1" : "2", "--save", d.toString(), "--out", tmp.resolve("det.png").toString());
            assertEquals(0, det.code, det.err);
        }
        float[] moved = Npy.read(d1).data();
        assertTrue(Arrays.equals(moved, Npy.read(d2).data()), "the noiseless chain must not depend on the seed");
        assertFalse(Arrays.equals(values, moved), "two Langevin steps must move the samples");

        // --init with the wrong shape: one clear error line.
        Path wrong = tmp.resolve("wrong.npy");
        Npy.write(wrong, new Tensor(new long[] {2, 3, 32, 32}, new float[2 * 3 * 32 * 32]));
        Outcome ws = cli("sample", run.toString(), "--init", wrong.toString(), "--K", "1");
        assertNotEquals(0, ws.code);
        assertOneErrorLine(ws, "[2, 3, 32, 32]");

        // Starting again into the same directory is refused; --resume continues to 6 iterations.
        Outcome again = cli(train(run));
        assertNotEquals(0, again.code);
        assertOneErrorLine(again, "--resume");
        assertEquals(4, metricsData(run).size(), "a refused start must not touch the run");

        Outcome r = cli("train", "--resume", "--out", run.toString(), "--iterations", "6");
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("done: 6 iterations"), r.out);
        rows = metricsData(run);
        assertEquals(6, rows.size(), "metrics rows after resume: " + rows);
        for (int i = 0; i < 6; i++) {
            assertTrue(rows.get(i).startsWith((i + 1) + ","), rows.get(i));
        }
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/iter-000006.json")));
        assertTrue(Files.isRegularFile(run.resolve("samples/iter-000006.png")));
    }

    /**
     * A training killed mid-run (SIGTERM, as Ctrl-C or a scheduler's kill) says which checkpoint survives and how to
     * continue, and continuing from it gives one unbroken metrics history. Runs in its own JVM, since the kill ends
     * the process.
     */
    @Test
    void aKilledTrainingSaysWhereToResumeAndResumes(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(train(run)));
        command.set(command.indexOf("--iterations") + 1, "100000"); // runs until killed
        Path log = tmp.resolve("stderr.txt");
        Process p = new ProcessBuilder(command).redirectOutput(tmp.resolve("stdout.txt").toFile())
                .redirectError(log.toFile()).start();
        Path second = run.resolve("checkpoints/iter-000004.json");
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (!Files.isRegularFile(second) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(Files.isRegularFile(second), "no second checkpoint before the kill:\n" + Files.readString(log));
        p.destroy();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "training did not stop on SIGTERM");
        String err = Files.readString(log);
        assertTrue(err.contains("interrupted: the newest checkpoint is " + run.toAbsolutePath().resolve("checkpoints")),
                err);
        assertTrue(err.contains("./shortrun train --resume --out " + run.toAbsolutePath()), err);

        long kept = Stream.of(run.resolve("checkpoints").toFile().list())
                .filter(n -> n.matches("iter-\\d+\\.json")).mapToLong(n -> Long.parseLong(n.substring(5, 11)))
                .max().orElseThrow();
        long total = kept + 2;
        Outcome r = cli("train", "--resume", "--out", run.toString(), "--iterations", Long.toString(total));
        assertEquals(0, r.code, r.err);
        assertTrue(r.out.contains("done: " + total + " iterations"), r.out);
        List<String> rows = metricsData(run);
        assertEquals(total, rows.size(), "one metrics row per iteration after the resume: " + rows);
        for (int i = 0; i < total; i++) {
            assertTrue(rows.get(i).startsWith((i + 1) + ","), rows.get(i));
        }
    }

    /**
     * A write or read that fails mid-training (disk full, a path taken by something else) names the file and the
     * checkpoint that survives, and says how to continue once the cause is fixed; continuing then works.
     */
    @Test
    void aFailedWriteSaysWhichCheckpointSurvivesAndHowToContinue(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("run");
        assertEquals(0, cli(train(run)).code);
        Path metrics = run.resolve("metrics.csv");
        Files.delete(metrics);
        Files.createDirectory(metrics); // reading it back on resume now fails in the file system itself
        Outcome failed = cli("train", "--resume", "--out", run.toString(), "--iterations", "6");
        assertEquals(1, failed.code, failed.err);
        assertEquals(List.of("error: cannot open metrics log " + metrics + ": Is a directory",
                "the newest checkpoint is " + run.toAbsolutePath().resolve("checkpoints/iter-000004.json")
                        + "; once that is fixed, continue with",
                "  ./shortrun train --resume --out " + run.toAbsolutePath()), failed.errLines());

        Files.delete(metrics);
        Outcome resumed = cli("train", "--resume", "--out", run.toString(), "--iterations", "6");
        assertEquals(0, resumed.code, resumed.err);
        assertTrue(resumed.out.contains("done: 6 iterations"), resumed.out);
    }

    /**
     * A step failing inside embedded Flink reaches the user as one line naming the run and the cause, not as the
     * runner's stack traces and its "Pipeline execution failed".
     */
    @Test
    void aDivergingPipelineRunIsOneErrorLineNamingTheRun(@TempDir Path tmp) throws IOException {
        Path spec = tmp.resolve("diverge.yaml");
        Files.writeString(spec, String.join("\n", "name: diverge", "dataset: {name: gmm}", "model: {n_f: 8}",
                "sampler: {K: 5}", "learner: {iterations: 300, batch: 32, lr: 0.5}", "steps: []",
                "resources: {threads_per_worker: 1}", ""));
        Outcome o = cli("run", spec.toString(), "--set", "output=" + tmp.resolve("out"));
        assertEquals(1, o.code, o.err);
        List<String> errors = o.errLines().stream().filter(l -> l.startsWith("error:")).toList();
        assertEquals(1, errors.size(), o.err);
        assertTrue(errors.get(0).matches("error: run diverge-[0-9a-f]{12}: training diverged at iteration \\d+ .*"),
                errors.get(0));
        assertFalse(o.err.contains("Exception") || o.err.contains("\tat "), "stack traces on stderr:\n" + o.err);
    }

    @Test
    void unknownDatasetIsOneErrorLine(@TempDir Path tmp) {
        Path out = tmp.resolve("x");
        Outcome o = cli("train", "--dataset", "nope", "--out", out.toString());
        assertNotEquals(0, o.code);
        assertOneErrorLine(o, "nope");
        assertTrue(o.err.contains("mnist"), "the message lists the allowed data sets: " + o.err);
        assertFalse(Files.exists(out), "nothing may be written for a bad dataset");
    }

    @Test
    void missingDatasetWithoutResumeIsOneErrorLine(@TempDir Path tmp) {
        Outcome o = cli("train", "--out", tmp.resolve("x").toString());
        assertNotEquals(0, o.code);
        assertOneErrorLine(o, "--dataset is required");
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    void missingDataDirectoryIsOneErrorLine(@TempDir Path tmp) {
        Outcome o = cli("train", "--dataset", "mnist", "--data-dir", "/nonexistent", "--out",
                tmp.resolve("x").toString());
        assertNotEquals(0, o.code);
        assertOneErrorLine(o, "/nonexistent");
    }

    @Test
    void missingCheckpointIsOneErrorLine() {
        Outcome o = cli("sample", "/nonexistent");
        assertNotEquals(0, o.code);
        assertOneErrorLine(o, "/nonexistent");
    }

    @Test
    void resumeOfAnEmptyDirectoryIsOneErrorLine(@TempDir Path tmp) {
        Outcome o = cli("train", "--resume", "--out", tmp.toString());
        assertNotEquals(0, o.code);
        assertOneErrorLine(o, "nothing to resume");
    }

    @Test
    void anatomyTrainingThenPlotDiagnostics(@TempDir Path tmp) throws IOException {
        Path run = tmp.resolve("persistent");
        Outcome trained = cli(train(run, "--architecture", "nonlocal32", "--slope", "0.05", "--epsilon", "7.5e-3",
                "--init", "persistent", "--optimizer", "sgd", "--gamma0", "1e-2", "--sigma", "1.5e-2"));
        assertEquals(0, trained.code, trained.err);
        assertTrue(Files.isRegularFile(run.resolve("checkpoints/iter-000004.bank.safetensors")));
        assertEquals(720, png(run.resolve("diagnostics.png")).getHeight(), "two rows of panels");
        Files.delete(run.resolve("diagnostics.png"));
        Outcome plotted = cli("plot-diagnostics", run.toString());
        assertEquals(0, plotted.code, plotted.err);
        assertTrue(plotted.out.contains("diagnostics.png"), plotted.out);
        png(run.resolve("diagnostics.png"));

        Outcome none = cli("plot-diagnostics", tmp.resolve("nothing").toString());
        assertNotEquals(0, none.code);
        assertOneErrorLine(none, "no metrics.csv");
    }

    @Test
    void anatomyOptionsThatContradictEachOtherAreOneErrorLine(@TempDir Path tmp) {
        // the train command's flags are spec keys: the resolver's messages name the flag as typed and the key
        assertOneErrorLine(cli(train(tmp.resolve("a"), "--epsilon", "0.01", "--noise-std", "0.01")),
                "--noise-std 0.01: sampler.noise_std: not used with sampler.epsilon");
        assertOneErrorLine(cli(train(tmp.resolve("b"), "--gamma0", "0.1")),
                "--gamma0 0.1: learner.gamma0: gamma0 is the SGD rate of the Anatomy parametrisation");
        assertOneErrorLine(cli(train(tmp.resolve("c"), "--bank-size", "10")),
                "--bank-size 10: sampler.bank_size: only used with sampler.init persistent");
        assertOneErrorLine(cli(train(tmp.resolve("d"), "--epsilon", "0.01", "--tau", "2")),
                "--tau 2: sampler.tau: must be one of 0, 1, found 2");
        assertOneErrorLine(cli(train(tmp.resolve("e"), "--architecture", "nonlocal32", "--image-size", "64")),
                "model.architecture: nonlocal32 takes 32x32 images but dataset.image_size is 64");
        assertOneErrorLine(cli(train(tmp.resolve("f"), "--init", "persistent", "--bank-size", "4")),
                "at least one batch");
    }

    @Test
    void unknownOptionStartsWithAClearLine() {
        Outcome o = cli("train", "--dataset", "mnist", "--no-such-option");
        assertEquals(2, o.code, "picocli's exit code for usage errors");
        List<String> lines = o.errLines();
        assertFalse(lines.isEmpty());
        // picocli reports parse errors with a one-line message (then suggestions or usage).
        assertEquals("Unknown option: '--no-such-option'", lines.get(0));
        assertFalse(o.err.contains("\tat "), "no stack trace: " + o.err);
    }

    @Test
    void helpListsTheOptions() {
        Outcome train = cli("train", "--help");
        assertEquals(0, train.code);
        for (String option : List.of("--dataset", "--data-dir", "--cap", "--n-f", "--K", "--k-min", "--k-max",
                "--sigma", "--lr", "--optimizer", "--init", "--batch", "--iterations", "--seed",
                "--divergence-bound", "--out", "--checkpoint-every", "--grid-every", "--resume", "--threads",
                "--architecture", "--epsilon", "--tau", "--gamma0", "--gamma0-min", "--bank-size")) {
            assertTrue(train.out.contains(option), "train --help lacks " + option);
        }
        Outcome sample = cli("sample", "--help");
        assertEquals(0, sample.code);
        for (String option : List.of("CHECKPOINT", "--n", "--K", "--seed", "--no-noise", "--init", "--save",
                "--out", "--threads")) {
            assertTrue(sample.out.contains(option), "sample --help lacks " + option);
        }
        Outcome bench = cli("bench", "--help");
        assertEquals(0, bench.code);
        for (String option : List.of("--n-f", "--batch", "--channels", "--K", "--steps", "--iterations", "--warmup",
                "--threads", "--python", "--no-reference", "--precision")) {
            assertTrue(bench.out.contains(option), "bench --help lacks " + option);
        }
        Outcome top = cli("--help");
        assertEquals(0, top.code);
        for (String command : List.of("train", "sample", "bench", "plot-diagnostics")) {
            assertTrue(top.out.contains(command), "shortrun --help lacks " + command);
        }
    }

    @Test
    void benchPrintsBothEnginesAndAMedianRatioInsideItsTurnsRange() {
        String home = System.getProperty("shortrun.home");
        System.setProperty("shortrun.home", System.getProperty("shortrun.root")); // where infra/bench/ is
        try {
            Outcome bench = cli("bench", "--n-f", "4", "--batch", "4", "--K", "2", "--steps", "2", "--iterations",
                    "3");
            assertEquals(0, bench.code, bench.err);
            // bf16 rows by default exactly where the CPU multiplies bfloat16 natively
            List<String> rows = Precision.cpuHasBf16()
                    ? List.of("langevin step", "iteration K=2", "langevin step bf16", "iteration K=2 bf16")
                    : List.of("langevin step", "iteration K=2");
            assertEquals(Precision.cpuHasBf16(), bench.out.contains("bf16 rows:"), bench.out);
            for (String what : rows) {
                String row = bench.out.lines().filter(l -> l.matches("4\\s+" + Pattern.quote(what) + "\\s+[0-9].*"))
                        .findFirst().orElseThrow(() -> new AssertionError("no '" + what + "' row in:\n" + bench.out));
                // DJL s, GFLOP/s, % peak | per reference: its s, ratio, turns' range
                String[] parts = row.substring(row.indexOf(what) + what.length()).split("\\|");
                String[] djl = parts[0].trim().split("\\s+");
                assertTrue(Double.parseDouble(djl[0]) > 0 && Double.parseDouble(djl[1]) > 0, row);
                assertTrue(djl[2].endsWith("%"), row);
                assertTrue(parts.length >= 2, "no reference column: " + row);
                for (int i = 1; i < parts.length; i++) {
                    String[] cols = parts[i].trim().split("\\s+");
                    assertTrue(Double.parseDouble(cols[0]) > 0, row);
                    double ratio = Double.parseDouble(cols[1]);
                    String[] range = cols[2].split("-");
                    assertTrue(Double.parseDouble(range[0]) <= ratio && ratio <= Double.parseDouble(range[1]), row);
                }
            }
            assertTrue(bench.out.lines().anyMatch(l -> l.startsWith("n_f") && l.contains("| PyTorch ")), bench.out);
        } finally {
            if (home == null) {
                System.clearProperty("shortrun.home");
            } else {
                System.setProperty("shortrun.home", home);
            }
        }
    }

    private static void assertOneErrorLine(Outcome o, String mentions) {
        List<String> lines = o.errLines();
        assertEquals(1, lines.size(), "expected exactly one line on stderr, got:\n" + o.err);
        assertTrue(lines.get(0).startsWith("error: "), lines.get(0));
        assertTrue(lines.get(0).contains(mentions), "'" + lines.get(0) + "' should mention " + mentions);
    }
}
