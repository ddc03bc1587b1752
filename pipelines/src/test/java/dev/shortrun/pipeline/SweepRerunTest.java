package dev.shortrun.pipeline;

import dev.shortrun.cli.Main;
import dev.shortrun.model.run.RunState;
import dev.shortrun.model.run.RunStateFile;
import dev.shortrun.steps.tracking.MlflowServerView;
import dev.shortrun.steps.tracking.MlflowTestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sweep run again, as a scheduled job or a user after Ctrl-C would, on embedded Flink against a real MLflow server:
 * stopped with SIGINT (running point KILLED, the point never started not recorded at all, exit 130), seen from a
 * second process with {@code status}, killed with SIGKILL mid-resume, then run to its end, run again unchanged and
 * with a changed {@code --set}. MLflow keeps one parent, each child once, every state right and every metric point
 * once; the local records agree.
 */
class SweepRerunTest {
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

    /** A toy pipeline: 90 iterations, checkpoints every 30, then the sample and diagnose steps. */
    static Path toy(Path dir, String name, int iterations) throws Exception {
        return Files.writeString(dir.resolve(name + ".yaml"), String.join("\n", "name: " + name,
                "dataset: {name: gmm}", "model: {n_f: 8}", "sampler: {K: 5}",
                "learner: {iterations: " + iterations + ", batch: 32, lr: 1.0e-3}",
                "checkpoints: {every: 30, grid_every: 30}", "steps: [sample, diagnose]",
                "sample: {n: 16, k_values: [0, 5]}", "diagnose: {steps: 40, chains: 2}",
                "resources: {threads_per_worker: 1}", ""));
    }

    /** Two points, one at a time: when the first is stopped, the second has not started. */
    static Path sweep(Path dir, String name) throws Exception {
        return sweep(dir, name, 90);
    }

    /** The same with {@code iterations} per point. */
    static Path sweep(Path dir, String name, int iterations) throws Exception {
        toy(dir, "toy", iterations);
        return Files.writeString(dir.resolve(name + ".yaml"), String.join("\n", "base: toy.yaml", "name: " + name,
                "max_concurrency: 1", "axes:", "  grid:", "    learner.lr: [1.0e-3, 3.0e-3]", ""));
    }

    @Test
    void aSweepStoppedKilledAndRunAgainEndsWithOneParentAndEveryRunOnceInItsTrueState(@TempDir Path dir)
            throws Exception {
        String name = "rerun-" + System.nanoTime();
        Path spec = sweep(dir, name);
        Path out = dir.resolve("out");
        Path root = out.resolve(name);
        String[] args = {"sweep", spec.toString(), "--mlflow-uri", server.uri(), "--set", "output=" + out};

        // Ctrl-C while the first point trains, after its first checkpoint (at once: training is fast)
        Path first;
        String stopped;
        try (CliProcess sweep = CliProcess.start(dir.resolve("sigint.log"), args)) {
            first = sweep.awaitRun(root, s -> s.iteration() > 30 && RunState.RUNNING.equals(s.status()), 300);
            sweep.signal("INT");
            assertEquals(130, sweep.waitFor(120), sweep.output());
            stopped = sweep.output();
        }
        List<String> points = Invocation.read(root).orElseThrow().points();
        String second = points.stream().filter(p -> !p.equals(first.getFileName().toString())).findFirst()
                .orElseThrow();
        SweepRecords.assertLocal(root, first.getFileName().toString(), RunState.KILLED, stopped);
        assertEquals(RunState.QUEUED, RunStateFile.read(root.resolve(second)).orElseThrow().status(), stopped);
        assertEquals(RunState.KILLED, Invocation.read(root).orElseThrow().status());
        SweepRecords mlflow = new SweepRecords(server.uri(), name);
        assertEquals("KILLED", mlflow.parent().status());
        assertEquals(Map.of(first.getFileName().toString(), "KILLED"), statuses(mlflow.children()),
                "the point never started has no run");

        // SIGKILL (no handler runs) once the first point trains again past its checkpoint; before, status from a
        // second process sees the sweep running (how far it got by then depends on the machine's speed)
        try (CliProcess sweep = CliProcess.start(dir.resolve("sigkill.log"), args)) {
            sweep.awaitRun(root, s -> s.iteration() > 40 && RunState.RUNNING.equals(s.status()), 300);
            String status = CliProcess.run(dir.resolve("status.log"), 60, "status", root.toString());
            assertTrue(status.matches("(?s).*RUNNING for \\d+:\\d\\d .*"), status);
            assertTrue(status.matches("(?s).*runs: 0 of 2 done, [12] running, 0 failed.*"), status);
            assertTrue(status.matches("(?s).*" + first.getFileName()
                    + "  (training \\d+/90 \\(\\d+%\\).*ETA|checkpoint steps|sample iter|diagnose iter).*"), status);
            sweep.signal("KILL");
            sweep.waitFor(60);
        }
        String gone = CliProcess.run(dir.resolve("status-gone.log"), 60, "status", root.toString());
        assertTrue(gone.contains("stopped without ending"), gone);

        // run to the end: the first point continues from its checkpoint, the second starts
        String third = CliProcess.run(dir.resolve("rerun.log"), 400, args);
        assertTrue(third.matches("(?s).*was killed: [12] of its runs marked KILLED.*"), third);
        assertTrue(third.contains("[2 of 2 done, 0 running, 0 failed]"), third);
        Map<String, SweepRecords.Run> children = mlflow.children();
        assertEquals("FINISHED", mlflow.parent().status());
        assertEquals(Map.of(first.getFileName().toString(), "FINISHED", second, "FINISHED"), statuses(children));
        for (SweepRecords.Run child : children.values()) {
            mlflow.assertEveryIterationOnce(child, 90);
            assertEquals(List.of(30.0, 60.0, 90.0), mlflow.view().history(child.id(), "sample_grad_norm").stream()
                    .map(p -> p[0]).toList(), "each checkpoint's sample step once");
            assertTrue(mlflow.view().tags(child.id()).containsKey("longrun_verdict"), "the diagnose step ran");
            SweepRecords.assertLocal(root, child.name(), RunState.FINISHED);
        }

        // run again unchanged: everything is reused, nothing is touched
        assertEquals(0, Main.run(args));
        assertEquals(children, mlflow.children(), "same runs, same states, same end times");

        // a changed --set adds new points under the same parent and leaves the others alone
        assertEquals(0, Main.run(concat(args, "--set", "learner.iterations=30")));
        Map<String, SweepRecords.Run> now = mlflow.children();
        assertEquals(4, now.size(), now.keySet().toString());
        children.forEach((run, was) -> assertEquals(was, now.get(run), "an unchanged point was touched"));
        now.values().forEach(run -> assertEquals("FINISHED", run.status(), run.name()));
        assertEquals("FINISHED", mlflow.parent().status());
        assertFalse(Files.exists(root.resolve(RunFolders.PREVIOUS)), "nothing was moved aside: same code");
    }

    /**
     * The steps that run after training keep the run RUNNING until they are done: then it ends FINISHED, locally and
     * in MLflow, not at the end of training (and not left RUNNING by the steps that reopened it).
     */
    @Test
    void aPipelineWithSampleAndDiagnoseStepsEndsFinishedInMlflowAndLocallyAfterItsSteps(@TempDir Path dir)
            throws Exception {
        String name = "steps-" + System.nanoTime();
        Path spec = toy(dir, name, 30);
        Path out = dir.resolve("out");
        assertEquals(0, Main.run("run", spec.toString(), "--mlflow-uri", server.uri(), "--set", "output=" + out));
        Path root = out.resolve(name);
        String run = Invocation.read(root).orElseThrow().points().get(0);
        SweepRecords.assertLocal(root, run, RunState.FINISHED);
        MlflowServerView view = new MlflowServerView(server.uri());
        List<String> ids = view.runIds(view.experimentId(name));
        assertEquals(1, ids.size(), ids.toString());
        assertEquals("FINISHED", view.status(ids.get(0)));
        long diagnosed = Files.getLastModifiedTime(root.resolve(run).resolve("steps/diagnose-iter-000030.json"))
                .toMillis();
        long ended = view.run(ids.get(0)).getAsJsonObject("info").get("end_time").getAsLong();
        assertTrue(ended >= diagnosed - 1000, "the run ended at " + ended + ", before its diagnose step at "
                + diagnosed);
        assertEquals(RunStateFile.read(root.resolve(run)).orElseThrow().endedMs(), ended,
                "MLflow's end time is the run's");
    }

    private static Map<String, String> statuses(Map<String, SweepRecords.Run> runs) {
        Map<String, String> statuses = new java.util.TreeMap<>();
        runs.forEach((name, run) -> statuses.put(name, run.status()));
        return statuses;
    }

    private static String[] concat(String[] args, String... more) {
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return all;
    }
}
