package dev.shortrun.cli;

import dev.shortrun.config.CommandLineValue;
import dev.shortrun.config.SpecLoader;
import dev.shortrun.model.run.Trainer;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.pipeline.PipelineGraph;
import dev.shortrun.pipeline.Runners;
import dev.shortrun.steps.RunSpec;
import org.apache.beam.sdk.PipelineResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code shortrun bench-pipeline}: what Beam/Flink costs on top of the science. (1) One run trained by the learner
 * directly and through the embedded-Flink pipeline, in this JVM. (2) Two sweep points on 2 slots with 1 thread each
 * vs one after the other with 2 threads (child processes: PyTorch's thread count is fixed per process).
 */
@Command(name = "bench-pipeline", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure the pipeline's overhead over calling the learner directly, and the speed-up of "
                + "running two sweep points side by side.")
final class PipelineBenchCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "PIPELINE.yaml",
            description = "The pipeline to time (default pipelines/quickstart.yaml).")
    Path spec;

    @Option(names = "--set", description = "Overrides, as for run (default: learner.iterations=1800, ~2 min).")
    List<String> sets = new ArrayList<>(List.of("learner.iterations=1800"));

    @Option(names = "--skip-sweep", description = "Only the direct-vs-pipeline comparison.")
    boolean skipSweep;

    @Override
    public Integer call() throws Exception {
        Path home = Path.of(System.getProperty("shortrun.home", "."));
        Path file = spec != null ? spec : home.resolve("pipelines/quickstart.yaml");
        Path scratch = Files.createTempDirectory("shortrun-bench-");
        List<String> overrides = new ArrayList<>(sets);
        overrides.add("steps=[]");
        overrides.add("output=" + scratch.resolve("pipeline"));
        RunSpec run = new SpecLoader().loadPipeline(file, overrides.stream().map(CommandLineValue::set).toList())
                .get(0);
        Torch.configure(run.resources().threadsPerWorker());

        long t0 = System.nanoTime();
        Trainer.start(run.train(), scratch.resolve("direct"), new Trainer.Listener() { });
        double direct = (System.nanoTime() - t0) / 1e9;

        t0 = System.nanoTime();
        PipelineResult result = PipelineGraph.build(List.of(run), Runners.options("flink-embedded", null, 1,
                "bench"), scratch.resolve("results/r"), null).run();
        result.waitUntilFinish();
        double pipeline = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%n%d iterations of %s, %d thread(s):%n", run.train().iterations(), run.pipeline(),
                run.resources().threadsPerWorker());
        System.out.printf("  learner directly          %8.1f s%n", direct);
        System.out.printf("  embedded-Flink pipeline   %8.1f s   overhead %+.1f%%%n", pipeline,
                100 * (pipeline / direct - 1));

        if (!skipSweep) {
            double sideBySide = sweep(home, file, scratch.resolve("slots2"), 2, 1);
            double oneByOne = sweep(home, file, scratch.resolve("slots1"), 1, 2);
            System.out.printf("two sweep points: 2 slots x 1 thread %.1f s, one after the other x 2 threads %.1f s: "
                    + "speed-up %.2fx%n", sideBySide, oneByOne, oneByOne / sideBySide);
        }
        System.out.println("scratch: " + scratch);
        return 0;
    }

    /** Times `shortrun sweep` of two seeds in a child JVM with the given slots and threads per slot. */
    private double sweep(Path home, Path base, Path out, int slots, int threads) throws Exception {
        Files.createDirectories(out);
        Path sweep = out.resolve("two-points.yaml");
        Files.writeString(sweep, String.join("\n", "base: " + base.toAbsolutePath(), "name: two-points",
                "max_concurrency: " + slots, "axes:", "  seeds: [1, 2]", ""));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dai.djl.offline=true", "-Dshortrun.home=" + home,
                "dev.shortrun.cli.Main", "sweep", sweep.toString(), "--runner", "flink-embedded", "--parallelism",
                Integer.toString(slots), "--set", "resources.threads_per_worker=" + threads, "--set", "steps=[]",
                "--set", "output=" + out));
        sets.forEach(s -> {
            cmd.add("--set");
            cmd.add(s);
        });
        System.err.printf("sweep with %d slot(s) x %d thread(s) ...%n", slots, threads);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(out.resolve("sweep.log").toFile()).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("benchmark sweep failed; see " + out.resolve("sweep.log") + ":\n"
                    + Files.readString(out.resolve("sweep.log"), StandardCharsets.UTF_8));
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
