package dev.shortrun.config;

import dev.shortrun.model.data.DataConfig;
import dev.shortrun.model.learning.LearnerConfig;
import dev.shortrun.model.learning.OptimizerConfig;
import dev.shortrun.model.learning.Schedule;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.nets.Activation;
import dev.shortrun.model.nets.Architecture;
import dev.shortrun.model.nets.NetConfig;
import dev.shortrun.model.sampling.Initializer;
import dev.shortrun.model.sampling.LangevinConfig;
import dev.shortrun.model.torch.Precision;
import dev.shortrun.cli.TrainCommandConfig;
import dev.shortrun.steps.RunSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The YAML files shipped in pipelines/ and sweeps/ load, validate, and mean what their comments say. */
class ShippedSpecsTest {
    @TempDir
    Path work;

    private static List<Path> yamlIn(String folder) throws IOException {
        try (Stream<Path> files = Files.list(SpecFiles.root().resolve(folder))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void everyShippedPipelineLoads() throws IOException {
        List<Path> pipelines = yamlIn("pipelines");
        assertTrue(pipelines.size() >= 3, "expected quickstart, mnist and cifar10 specs, found " + pipelines);
        for (Path file : pipelines) {
            List<RunSpec> runs = SpecFiles.loader(work).loadPipeline(file, CommandLineValue.sets(List.of()));
            assertEquals(1, runs.size());
            assertEquals(file.getFileName().toString().replace(".yaml", ""), runs.get(0).pipeline());
        }
    }

    @Test
    void everyShippedSweepLoads() throws IOException {
        List<Path> sweeps = yamlIn("sweeps");
        assertEquals(8, sweeps.size(), "sweeps: " + sweeps);
        for (Path file : sweeps) {
            if (file.getFileName().toString().equals("bf16-mnist.yaml") && !Precision.cpuHasBf16()) {
                // its bf16 points are refused on a CPU without native bfloat16, on one line naming the key
                Exception e = assertThrows(Exception.class, () -> SpecFiles.loader(work).loadSweep(file,
                        CommandLineValue.sets(List.of())));
                assertTrue(e.getMessage().contains("sampler.precision") && e.getMessage().contains("avx512_bf16"),
                        e.getMessage());
                continue;
            }
            Sweep sweep = SpecFiles.loader(work).loadSweep(file, CommandLineValue.sets(List.of()));
            assertFalse(sweep.points().isEmpty(), file.toString());
        }
    }

    /**
     * The defaults themselves, written out as the papers give them. Both {@code train} and the specs take them from
     * the model's config classes, so the equivalence tests here cannot see a default that moves on both sides.
     */
    @Test
    void defaultsAreThePapers() throws Exception {
        LangevinConfig chain = new LangevinConfig(1.0, 0.01, 100, 100);
        Schedule lr = new Schedule(1e-4, 0, 1.0, 0.0);
        OptimizerConfig adam = new OptimizerConfig(OptimizerConfig.Kind.ADAM, 0.9, 0.999, 1e-8);
        String dir = "/data/cifar10";
        assertEquals(new TrainConfig(new DataConfig("cifar10", dir, "train", 32, 0),
                        new NetConfig(Architecture.CONV32, 3, 64, Activation.LEAKY_RELU, 0.2), chain,
                        new LearnerConfig(64, new Schedule(0.03, 0, 1.0, 0.0), lr, adam,
                                Initializer.parse("uniform", 1.0, 0, 0), 1e6, 0.0), 1L, 100_000L, 1000, 100),
                trainCommandConfig("--dataset", "cifar10", "--data-dir", dir), "the seed code's image defaults");
        assertEquals(new TrainConfig(new DataConfig("gmm", null, "train", 1, 0),
                        new NetConfig(Architecture.TOY, 2, 32, Activation.LEAKY_RELU, 0.05), chain,
                        new LearnerConfig(100, new Schedule(0.0, 0, 1.0, 0.0), lr, adam,
                                Initializer.parse("gaussian", 2.0, 0, 0), 1e6, 0.0), 123L, 100_000L, 1000, 100),
                trainCommandConfig("--dataset", "gmm"), "the Anatomy paper's non-convergent toy defaults");
    }

    @Test
    void quickstartIsTrainDefaultsForGmmExceptLengthAndCadence() throws Exception {
        RunSpec run = load("pipelines/quickstart.yaml");
        TrainConfig defaults = trainCommandConfig("--dataset", "gmm", "--iterations", "600",
                "--checkpoint-every", "200", "--grid-every", "100");
        assertEquals(defaults, run.train());
        assertEquals(List.of("sample"), run.steps());
        assertEquals(new RunSpec.Runner("flink-embedded", null), run.runner());
        assertEquals(new RunSpec.Resources(1, 1, "cpu"), run.resources());
        // The quickstart promise: done in 3 minutes at ~15 iterations/s on 2 cores, sampling included.
        assertTrue(run.train().iterations() / 15.0 < 120, "quickstart too long: " + run.train().iterations());
    }

    @Test
    void mnistSpecIsTrainDefaultsForMnistWithThePapersCap() throws Exception {
        RunSpec run = load("pipelines/mnist-shortrun.yaml");
        Path data = SpecFiles.root().resolve("../shared/data/mnist").toAbsolutePath().normalize();
        assertEquals(data.toString(), run.train().data().dir());
        assertEquals(trainCommandConfig("--dataset", "mnist", "--data-dir", data.toString(), "--cap", "40000"),
                withoutCache(run));
        assertEquals(2, run.resources().threadsPerWorker());
    }

    @Test
    void cifarSpecUsesTheSeedCodesWidth() throws Exception {
        RunSpec run = load("pipelines/cifar10-shortrun.yaml");
        Path data = SpecFiles.root().resolve("../shared/data/cifar10-sample").toAbsolutePath().normalize();
        assertEquals(trainCommandConfig("--dataset", "cifar10", "--data-dir", data.toString(), "--cap", "40000"),
                withoutCache(run));
        assertEquals(64, run.train().net().nf());
    }

    /** The Anatomy paper's image configs: each is the equivalent {@code train} command, and the table's numbers. */
    @Test
    void anatomyMnistConvergentIsThePapersConfig() throws Exception {
        RunSpec run = load("pipelines/mnist-convergent.yaml");
        assertEquals(trainCommandConfig("--dataset", "mnist", "--data-dir", sharedData("mnist"),
                "--architecture", "nonlocal32", "--n-f", "32", "--slope", "0.05", "-K", "500", "--epsilon", "7.5e-3",
                "--init", "persistent", "--batch", "100", "--seed", "123", "--optimizer", "sgd", "--gamma0", "1e-2",
                "--sigma", "1.5e-2", "--iterations", "100000"), withoutCache(run));
        TrainConfig t = run.train();
        assertEquals(Architecture.NONLOCAL32, t.net().architecture());
        assertEquals(new LangevinConfig(1.0, 7.5e-3, 500, 500), t.langevin());
        assertEquals(Initializer.Kind.PERSISTENT, t.learner().init().kind());
        assertEquals(7.5e-3 * 7.5e-3 / 2 * 1e-2, t.learner().lr().at(50_000), 1e-18);
        assertEquals(2 / (7.5e-3 * 7.5e-3), t.learner().lossScale(), 1e-9);
    }

    @Test
    void anatomyCifarConfigsDifferOnlyInChainLengthAndStart() throws Exception {
        String dir = sharedData("cifar10-sample");
        String[] common = {"--dataset", "cifar10", "--data-dir", dir, "--architecture", "conv32", "--n-f", "32",
            "--slope", "0.05", "--epsilon", "1e-2", "--batch", "100", "--seed", "123", "--optimizer", "adam",
            "--lr", "1e-4", "--sigma", "3e-2", "--iterations", "100000"};
        assertEquals(trainCommandConfig(concat(common, "-K", "150", "--init", "uniform")),
                withoutCache(load("pipelines/cifar10-nonconvergent.yaml")));
        assertEquals(trainCommandConfig(concat(common, "-K", "500", "--init", "persistent")),
                withoutCache(load("pipelines/cifar10-oscillate.yaml")));
    }

    @Test
    void anatomyFlowersDecaysGammaToItsFloor() throws Exception {
        RunSpec run = load("pipelines/flowers-convergent.yaml");
        TrainConfig t = run.train();
        assertEquals("folder", t.data().dataset());
        assertEquals(Architecture.NONLOCAL32, t.net().architecture());
        double scale = 7.5e-3 * 7.5e-3 / 2;
        assertEquals(0.1 * scale, t.learner().lr().at(0), 1e-18);
        assertEquals(0.1 * Math.pow(0.99995, 1000) * scale, t.learner().lr().at(1000), 1e-15);
        assertEquals(5e-4 * scale, t.learner().lr().at(199_999), 1e-18, "x0.99995 per iteration reaches 5e-4");
        assertEquals(200_000, t.iterations());
    }

    private static String sharedData(String sub) {
        return SpecFiles.root().resolve("../shared/data/" + sub).toAbsolutePath().normalize().toString();
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    @Test
    void table2PairsKWithSigma() {
        Sweep sweep = SpecFiles.loader(work).loadSweep(SpecFiles.root().resolve("sweeps/table2-k-sigma.yaml"),
                CommandLineValue.sets(List.of()));
        assertEquals("table2", sweep.name());
        List<String> pairs = sweep.points().stream()
                .map(r -> r.train().langevin().kMax() + "/" + r.train().learner().sigma().initial()).toList();
        assertEquals(List.of("5/0.15", "10/0.1", "25/0.05", "50/0.04", "75/0.03", "100/0.03"), pairs);
        RunSpec third = sweep.points().get(2);
        assertEquals("table2-K25-sigma0.05-" + third.specHash(), third.runName());
        assertEquals(Map.of("sampler.K", "25", "learner.sigma", "0.05"), third.sweepPoint());
        assertEquals("table2", third.params().get("name"));
        assertTrue(sweep.points().stream().allMatch(r -> r.train().net().nf() == 32));
        assertEquals(work.resolve("runs/table2").resolve(third.runName()).toString(), third.outputDir());
    }

    @Test
    void table3SweepsSigmaAndWidth() {
        Sweep sigma = SpecFiles.loader(work).loadSweep(SpecFiles.root().resolve("sweeps/table3a-sigma.yaml"),
                CommandLineValue.sets(List.of()));
        assertEquals(List.of(0.10, 0.08, 0.06, 0.05, 0.04, 0.03), sigma.points().stream()
                .map(r -> r.train().learner().sigma().initial()).toList());
        assertTrue(sigma.points().stream().allMatch(r -> r.train().net().nf() == 32
                && r.train().langevin().kMax() == 100));
        Sweep width = SpecFiles.loader(work).loadSweep(SpecFiles.root().resolve("sweeps/table3b-nf.yaml"),
                CommandLineValue.sets(List.of()));
        assertEquals(List.of(32, 64, 128), width.points().stream().map(r -> r.train().net().nf()).toList());
    }

    @Test
    void cpuShrinkInTheCommentsWorks() {
        Sweep sweep = SpecFiles.loader(work).loadSweep(SpecFiles.root().resolve("sweeps/table2-k-sigma.yaml"),
                CommandLineValue.sets(List.of("learner.iterations=20", "model.n_f=8")));
        assertTrue(sweep.points().stream().allMatch(r -> r.train().iterations() == 20 && r.train().net().nf() == 8));
    }

    @Test
    void ciSmokeIsThreeTinyToyRunsTwoAtATime() {
        Sweep sweep = SpecFiles.loader(work).loadSweep(SpecFiles.root().resolve("sweeps/ci-smoke.yaml"),
                CommandLineValue.sets(List.of()));
        assertEquals(2, sweep.maxConcurrency());
        assertEquals(3, sweep.points().size());
        for (RunSpec run : sweep.points()) {
            assertEquals(30, run.train().iterations());
            assertEquals(20, run.train().langevin().kMax());
            assertEquals("gmm", run.train().data().dataset());
            assertEquals("ci", run.tracking().trigger());
        }
        assertEquals(List.of(1e-4, 3e-4, 1e-3), sweep.points().stream()
                .map(r -> r.train().learner().lr().initial()).toList());
    }

    @Test
    void toyAnatomySweepRunsTheAuthorsFourConfigsAndTakesOneIterationOverride() {
        Path file = SpecFiles.root().resolve("sweeps/toy-anatomy.yaml");
        Sweep paper = SpecFiles.loader(work).loadSweep(file, CommandLineValue.sets(List.of()));
        assertEquals(List.of("toy-gmm-convergent", "toy-gmm-nonconvergent", "toy-rings-convergent",
                "toy-rings-nonconvergent"), paper.points().stream().map(r -> r.sweepPoint().get("pipeline")).toList());
        for (RunSpec run : paper.points()) {
            TrainConfig t = run.train();
            boolean convergent = !run.sweepPoint().get("pipeline").contains("nonconvergent");
            String toy = run.sweepPoint().get("pipeline").contains("gmm") ? "gmm" : "rings";
            assertEquals(toy, t.data().dataset());
            assertEquals(List.of("density"), run.steps());
            assertEquals(100, t.learner().batch());
            assertEquals(123, t.seed());
            assertEquals(32, t.net().nf());
            assertEquals(0.05, t.net().slope());
            assertEquals(1.0, t.langevin().stepSize());
            if (convergent) { // SGD 0.1 (lr (eps^2/2) 0.1), eps 0.125, L 500, persistent 10k, 200k iterations
                assertEquals(0.125, t.learner().epsilon());
                assertEquals(0.125, t.langevin().noiseStd());
                assertEquals(500, t.langevin().kMax());
                assertEquals(Initializer.Kind.PERSISTENT, t.learner().init().kind());
                assertEquals(10_000, t.learner().init().bankSize());
                assertEquals(OptimizerConfig.Kind.SGD, t.learner().optimizer().kind());
                assertEquals(0.125 * 0.125 / 2 * 0.1, t.learner().lr().initial(), 1e-15);
                assertEquals(200_000, t.iterations());
            } else { // Adam 1e-4, eps 0.01, L 100, gaussian noise starts, 100k iterations
                assertEquals(0.01, t.learner().epsilon());
                assertEquals(0.01, t.langevin().noiseStd());
                assertEquals(100, t.langevin().kMax());
                assertEquals(Initializer.Kind.GAUSSIAN, t.learner().init().kind());
                // the authors' noise_init_factor: 1 for gmm, 2 for rings
                assertEquals(toy.equals("gmm") ? 1.0 : 2.0, t.learner().init().scale());
                assertEquals(OptimizerConfig.Kind.ADAM, t.learner().optimizer().kind());
                assertEquals(1e-4, t.learner().lr().initial());
                assertEquals(100_000, t.iterations());
            }
        }
        Sweep cpu = SpecFiles.loader(work).loadSweep(file, CommandLineValue.sets(List.of("learner.iterations=300")));
        assertTrue(cpu.points().stream().allMatch(r -> r.train().iterations() == 300));
    }

    private RunSpec load(String relative) {
        return SpecFiles.loader(work).loadPipeline(SpecFiles.root().resolve(relative), CommandLineValue.sets(List.of()))
                .get(0);
    }

    /** What {@code shortrun train ARGS} would train, read through its real flags. */
    private static TrainConfig trainCommandConfig(String... args) {
        return TrainCommandConfig.of(args);
    }

    /**
     * The run's training settings less the data cache, which only pipelines have: it sits in the spec's output
     * folder, {@code <output>/cache}, beside the pipeline's own folder.
     */
    private static TrainConfig withoutCache(RunSpec run) {
        TrainConfig t = run.train();
        assertEquals(Path.of(run.outputDir()).getParent().getParent().resolve("cache").toString(),
                t.data().cacheDir());
        return new TrainConfig(t.data().withCacheDir(null), t.net(), t.langevin(), t.learner(), t.seed(),
                t.iterations(), t.checkpointEvery(), t.gridEvery());
    }
}
