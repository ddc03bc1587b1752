package dev.shortrun.pipeline;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.shortrun.cli.Main;
import dev.shortrun.steps.tracking.MlflowServerView;
import dev.shortrun.steps.tracking.MlflowTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code shortrun report} on the shipped Anatomy toy sweep, run to its end in this JVM on the DirectRunner with a few
 * iterations against a real MLflow server: the table holds each run's KLs as its step records have them beside the
 * paper's expected direction, the plot decodes at its size, both are logged on the sweep's parent run (no new run),
 * an unreachable server only warns, and a sweep that has not run is one error line.
 */
class SweepReportTest {
    private static MlflowTestServer server;

    @BeforeAll
    static void startServer() {
        server = MlflowTestServer.fromEnvOrStart();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    private static Path root() {
        String root = System.getProperty("shortrun.root");
        return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
    }

    /** The command's exit code, stdout and stderr. */
    private record Outcome(int code, String out, String err) {
    }

    private static Outcome cli(String... args) throws Exception {
        return captured(() -> Main.run(args));
    }

    private static Outcome captured(Callable<Integer> command) throws Exception {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = command.call();
            return new Outcome(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Arrays.stream(a), Arrays.stream(b)).toArray(String[]::new);
    }

    @Test
    void aFinishedToySweepIsReportedBesideTheAnatomyPaperAndLoggedOnItsParentRun(@TempDir Path dir)
            throws Exception {
        Path out = dir.resolve("runs");
        String experiment = "report-test-" + System.nanoTime();
        String spec = root().resolve("sweeps/toy-anatomy.yaml").toString();
        // the four Anatomy configs, each a few seconds: 4 iterations, short chains, one checkpoint (and density) at 4
        String[] sets = {spec, "--set", "output=" + out, "--set", "learner.iterations=4", "--set", "sampler.K=10",
            "--set", "checkpoints.every=4", "--set", "tracking.experiment=" + experiment, "--mlflow-uri",
            server.uri()};

        Outcome early = cli(concat(new String[] {"report"}, sets));
        assertEquals(1, early.code(), early.err());
        assertTrue(early.err().startsWith("error: the sweep toy-anatomy has not run yet"), early.err());
        assertEquals(1, early.err().lines().count(), early.err());

        assertEquals(0, Main.run(concat(concat(new String[] {"sweep"}, sets), "--runner", "direct")));
        Path root = out.resolve("toy-anatomy");
        Outcome report = cli(concat(new String[] {"report"}, sets));
        assertEquals(0, report.code(), report.out() + report.err());

        // our KLs as each run's step record has them, beside the paper's direction, in the markdown and on the terminal
        Path md = root.resolve("report/toy-anatomy-report.md");
        String markdown = Files.readString(md);
        Invocation invocation = Invocation.read(root).orElseThrow();
        assertEquals(4, invocation.points().size());
        for (String run : invocation.points()) {
            String pipeline = run.replaceFirst("^toy-anatomy-(.*)-[0-9a-f]{12}$", "$1");
            JsonObject metrics = JsonParser.parseString(Files.readString(root.resolve(run)
                    .resolve("steps/density-iter-000004.json"))).getAsJsonObject().getAsJsonObject("outcome")
                    .getAsJsonObject("metrics");
            String expected = pipeline.endsWith("-nonconvergent") ? "large" : "small";
            List<String> row = row(markdown, pipeline);
            assertEquals(List.of(pipeline, "4"), row.subList(0, 2), markdown);
            assertClose(metrics.get("kl_true_learned").getAsDouble(), row.get(2), markdown);
            assertEquals(expected, row.get(3), "paper's KL(true||learned) for " + pipeline);
            assertClose(metrics.get("kl_true_kde").getAsDouble(), row.get(4), markdown);
            assertEquals("small", row.get(5), "paper's KL(true||KDE) for " + pipeline);
            assertTrue(report.out().lines().anyMatch(l -> l.matches(pipeline + " +4 +\\S+ +" + expected
                    + " +\\S+ +small")), report.out());
        }
        assertTrue(markdown.contains("| pipeline | iterations | ours: kl_true_learned | paper: KL(true\\|\\|learned) "
                + "| ours: kl_true_kde | paper: KL(true\\|\\|KDE) |"), markdown);
        assertTrue(markdown.contains("Compare directions, not values: the paper gives no KL numbers"), markdown);
        assertTrue(markdown.contains("Figure 6"), markdown);
        assertTrue(markdown.contains("![ours and the paper's](toy-anatomy-report.png)"), markdown);

        Path png = root.resolve("report/toy-anatomy-report.png");
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(SweepReport.BARS_WIDTH, image.getWidth());
        assertEquals(SweepReport.BARS_HEIGHT + 2 * 18 + 10, image.getHeight(), "the chart under a two-line caption");

        // logged on the sweep's parent run: the same files, and no run more than the sweep made
        MlflowServerView view = new MlflowServerView(server.uri());
        String experimentId = view.experimentId(experiment);
        List<JsonObject> parents = view.search(experimentId, "tags.`shortrun.run_key` = '"
                + invocation.parentKey() + "'");
        assertEquals(1, parents.size());
        String parentId = parents.get(0).getAsJsonObject("info").get("run_id").getAsString();
        Map<String, Long> artifacts = view.artifacts(parentId, "report");
        assertEquals(Map.of("report/toy-anatomy-report.md", Files.size(md), "report/toy-anatomy-report.png",
                Files.size(png)), artifacts);
        assertEquals(5, view.runIds(experimentId).size(), "the parent and its four points, nothing new");
        assertTrue(report.out().contains("logged:  report/toy-anatomy-report.md, report/toy-anatomy-report.png on "
                + server.uri()), report.out());

        // a server that cannot be reached: a warning, the local files all the same
        Files.delete(md);
        String[] unreachable = concat(new String[] {"report"}, sets);
        unreachable[unreachable.length - 1] = "http://127.0.0.1:9";
        Outcome offline = cli(unreachable);
        assertEquals(0, offline.code(), offline.err());
        assertTrue(offline.err().contains("warning: could not log the report on MLflow"), offline.err());
        assertTrue(Files.isRegularFile(md));
    }

    /** The cells of the markdown row that starts with {@code first}. */
    private static List<String> row(String markdown, String first) {
        String line = markdown.lines().filter(l -> l.startsWith("| " + first + " |")).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + first + " in\n" + markdown));
        return Arrays.stream(line.substring(2, line.length() - 2).split(" \\| ")).toList();
    }

    /** A cell shows a value to its four significant digits. */
    private static void assertClose(double expected, String cell, String context) {
        assertEquals(expected, Double.parseDouble(cell), Math.abs(expected) * 1e-3, cell + " in\n" + context);
    }
}
