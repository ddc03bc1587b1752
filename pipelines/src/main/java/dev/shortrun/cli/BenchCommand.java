package dev.shortrun.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.shortrun.model.data.PositiveSource;
import dev.shortrun.model.learning.Learner;
import dev.shortrun.model.learning.LearnerConfig;
import dev.shortrun.model.nets.EnergyNet;
import dev.shortrun.model.nets.NetConfig;
import dev.shortrun.model.sampling.LangevinConfig;
import dev.shortrun.model.sampling.LangevinSampler;
import dev.shortrun.model.torch.Casts;
import dev.shortrun.model.torch.ChannelsLast;
import dev.shortrun.model.torch.Devices;
import dev.shortrun.model.torch.Precision;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.model.util.Rng;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code shortrun bench}: DJL vs the PyTorch seed code on the same shapes and threads, in one invocation.
 * FLOPs: a Langevin step is 2x the forward FLOPs (forward + backward to the input only: the weights' gradients are
 * off); an iteration is K steps plus forward and full backward (3x forward) on the x+ and x- batches.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time a Langevin step and a full learning iteration (seed-code shapes) in DJL and in the "
                + "PyTorch references (infra/bench/pytorch_bench.py; Debian's 1.13 and PyPI's 2.7.1 where present), "
                + "all in the same turns, and print each time ratio, GFLOP/s and the "
                + "fraction of the machine's measured peak (the best of a large matmul and a large convolution, "
                + "measured before and after the timings)."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--n-f", split = ",", defaultValue = "32,64", description = "Widths to time (default ${DEFAULT-VALUE}).")
    List<Integer> widths;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--channels", defaultValue = "3", description = "Image channels (default ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = {"--K", "-K"}, defaultValue = "100", description = "Langevin steps per iteration "
            + "(default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--steps", defaultValue = "20", description = "Langevin steps per timed block "
            + "(default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--iterations", defaultValue = "5", description = "Timed turns (each: one step block and one "
            + "iteration per engine, back to back, the engine going first alternating); times are each engine's "
            + "best, the ratio the median of the turns' own ratios (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--warmup", defaultValue = "1", description = "Untimed warm-up turns (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--threads", defaultValue = "2", description = "Threads for both engines (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--python", description = "A Python with torch for a reference; repeat for several, all timed in "
            + "the same turns (default: /usr/bin/python3, Debian's PyTorch 1.13, and .venv-torch-cuda/bin/python, "
            + "PyPI's torch 2.7.1, the libtorch DJL runs, from infra/gpu/install-libtorch.sh; those present).")
    List<String> pythons;

    @Option(names = "--no-reference", description = "Skip the PyTorch references (no ratio is printed).")
    boolean noReference;

    @Option(names = "--precision", split = ",", paramLabel = "P", description = "Chain precisions to time: fp32, "
            + "bf16 (sampler.precision; the references run their chains under torch.autocast bfloat16). Default: "
            + "fp32, and bf16 where this CPU multiplies bfloat16 natively (avx512_bf16 or amx_bf16).")
    List<String> precisions;

    /** A timed configuration: a width and a chain precision. */
    private record Config(int nf, Precision precision) {
    }

    /** One engine's per-turn times of a step and of an iteration. */
    private record Timing(double[] stepSeconds, double[] iterationSeconds) {
        Timing(int turns) {
            this(new double[turns], new double[turns]);
        }
    }

    @Override
    public Integer call() throws Exception {
        Torch.configure(threads);
        List<Precision> timed = timedPrecisions();
        Map<Precision, Double> peaks = new EnumMap<>(Precision.class);
        timed.forEach(p -> peaks.put(p, measurePeakGflops(p)));
        Map<Config, Timing> djl = new HashMap<>();
        List<Map<Config, Timing>> torch = new ArrayList<>();
        List<Reference> references = new ArrayList<>();
        try {
            for (String py : noReference ? List.<String>of() : references()) {
                references.add(new Reference(command(py)));
                torch.add(new HashMap<>());
            }
            for (int nf : widths) {
                for (Precision p : timed) {
                    System.err.printf("timing n_f=%d %s: DJL and %d PyTorch reference(s) in turns ...%n", nf,
                            p.settingName(), references.size());
                    time(new Config(nf, p), references, djl, torch);
                    // the machine's speed drifts by tens of percent over minutes: the peak is the best seen throughout
                    peaks.merge(p, measurePeakGflops(p), Math::max);
                }
            }
        } finally {
            for (Reference r : references) {
                r.close();
            }
        }
        System.out.printf(Locale.ROOT, "%nshortrun bench: batch %d, %dx32x32, K=%d, %d threads; measured peak %s "
                + "(best of a matmul and a convolution); %d turns%n", batch, channels, k, threads,
                String.join(", ", timed.stream().map(p -> String.format(Locale.ROOT, "%.1f GFLOP/s %s",
                        peaks.get(p), p.settingName())).toList()), iterations);
        List<String> names = new ArrayList<>(references.stream().map(Reference::name).toList());
        if (references.size() > 1) {
            names.add("the faster");
        }
        System.out.printf(Locale.ROOT, "%-5s %-20s %10s %9s %7s", "n_f", "what", "DJL s", "GFLOP/s", "% peak");
        names.forEach(n -> System.out.printf(Locale.ROOT, " | %-19s %7s %11s", n + " s", "ratio", "range"));
        System.out.println();
        for (int nf : widths) {
            long fwdFlops = 2L * batch * EnergyNet.macsPerExample(NetConfig.shortRun(32, channels, nf));
            for (Precision p : timed) {
                Config c = new Config(nf, p);
                String suffix = suffix(p);
                row(nf, "langevin step" + suffix, djl.get(c).stepSeconds(), torch.stream()
                        .map(t -> t.get(c).stepSeconds()).toList(), 2.0 * fwdFlops, peaks.get(p));
                row(nf, "iteration K=" + k + suffix, djl.get(c).iterationSeconds(), torch.stream()
                        .map(t -> t.get(c).iterationSeconds()).toList(), (2.0 * k + 6) * fwdFlops, peaks.get(p));
            }
        }
        System.out.println("times: each engine's best turn; ratio: DJL time / that reference's time, the median over "
                + "turns of the engines timed back to back (<= 1.0: DJL is at least as fast), with the turns' range"
                + (references.size() > 1 ? "; the faster: per turn, the faster of the references" : "") + ".");
        if (timed.contains(Precision.BF16)) {
            System.out.println("bf16 rows: the chains' gradient passes in bfloat16 (DJL: sampler.precision bf16; "
                    + "PyTorch: torch.autocast), the state, update and learning step float32; % peak of the bf16 "
                    + "peak. What bf16 does to learning: README, \"bf16 chains\".");
        }
        return 0;
    }

    /** How a row label and a reference request name a precision: nothing for fp32, " bf16" for bf16. */
    private static String suffix(Precision p) {
        return p == Precision.FP32 ? "" : " " + p.settingName();
    }

    /** The precisions asked for, else fp32 and, where this CPU multiplies bfloat16 natively, bf16. */
    private List<Precision> timedPrecisions() {
        if (precisions == null || precisions.isEmpty()) {
            return Precision.cpuHasBf16() ? List.of(Precision.FP32, Precision.BF16) : List.of(Precision.FP32);
        }
        List<Precision> out = new ArrayList<>();
        for (String name : precisions) {
            Precision p = Precision.parse(name);
            if (p.problem("cpu") != null) {
                throw new IllegalArgumentException("--precision " + name + ": " + p.problem("cpu"));
            }
            out.add(p);
        }
        return out;
    }

    /**
     * A table row: DJL's best time, GFLOP/s and share of the peak, then per reference its best time, the median of
     * the turns' ratios and their range; with several references, the same against the faster one of each turn.
     */
    private static void row(int nf, String what, double[] djl, List<double[]> torch, double flops, double peak) {
        double best = Arrays.stream(djl).min().orElseThrow();
        double gflops = flops / best / 1e9;
        System.out.printf(Locale.ROOT, "%-5d %-20s %10.4f %9.1f %6.1f%%", nf, what, best, gflops,
                100 * gflops / peak);
        List<double[]> columns = new ArrayList<>(torch);
        if (torch.size() > 1) {
            double[] faster = new double[djl.length];
            Arrays.setAll(faster, i -> torch.stream().mapToDouble(t -> t[i]).min().orElseThrow());
            columns.add(faster);
        }
        for (double[] reference : columns) {
            double[] ratios = new double[djl.length];
            Arrays.setAll(ratios, i -> djl[i] / reference[i]);
            Arrays.sort(ratios);
            int n = ratios.length;
            System.out.printf(Locale.ROOT, " | %19.4f %7.3f %11s", Arrays.stream(reference).min().orElseThrow(),
                    (ratios[(n - 1) / 2] + ratios[n / 2]) / 2, // the median
                    String.format(Locale.ROOT, "%.3f-%.3f", ratios[0], ratios[n - 1]));
        }
        System.out.println();
    }

    /**
     * Times DJL and the reference back to back, turn by turn, the engine going first alternating: slow drifts in the
     * machine's speed (+-10% within minutes on a shared machine) then hit both engines of a turn alike, and the
     * median of the turns' ratios ignores a turn that a burst of load hit in the middle.
     */
    private void time(Config config, List<Reference> references, Map<Config, Timing> djl,
                      List<Map<Config, Timing>> torch) throws IOException {
        int nf = config.nf();
        String ask = suffix(config.precision());
        Rng rng = new Rng(1);
        LangevinConfig chain = LangevinConfig.shortRun(k).withPrecision(config.precision());
        try (NDManager manager = Devices.newManager();
             EnergyNet net = EnergyNet.create(NetConfig.shortRun(32, channels, nf), manager, rng);
             Learner learner = new Learner(net, new LangevinSampler(chain), LearnerConfig.shortRun(),
                     new RandomImages(channels), rng)) {
            RandomTensors random = new RandomTensors(rng);
            LangevinSampler sampler = new LangevinSampler(chain);
            NDArray x = random.uniform(manager, new Shape(batch, channels, 32, 32), -1, 1);
            for (int i = 0; i < warmup; i++) {
                sampler.run(net, x, 3, random, true, null).samples().close();
                learner.step();
                for (Reference reference : references) {
                    reference.ask("steps " + nf + " 3" + ask);
                    reference.ask("iter " + nf + ask);
                }
            }
            Timing mine = new Timing(iterations);
            List<Timing> theirs = references.stream().map(r -> new Timing(iterations)).toList();
            for (int turn = 0; turn < iterations; turn++) {
                int t = turn;
                List<Timed> stepParts = new ArrayList<>();
                List<Timed> iteration = new ArrayList<>();
                stepParts.add(() -> mine.stepSeconds()[t] = seconds(() -> sampler.run(net, x, this.steps, random, true,
                        null).samples().close()) / this.steps);
                iteration.add(() -> mine.iterationSeconds()[t] = seconds(learner::step));
                for (int r = 0; r < references.size(); r++) {
                    Reference reference = references.get(r);
                    Timing times = theirs.get(r);
                    stepParts.add(() -> times.stepSeconds()[t] = reference.ask("steps " + nf + " " + this.steps
                            + ask) / this.steps);
                    iteration.add(() -> times.iterationSeconds()[t] = reference.ask("iter " + nf + ask));
                }
                inTurn(turn, stepParts);
                inTurn(turn, iteration);
            }
            djl.put(config, mine);
            for (int r = 0; r < references.size(); r++) {
                torch.get(r).put(config, theirs.get(r));
            }
        }
    }

    /** A timed part of a turn. */
    private interface Timed {
        void run() throws IOException;
    }

    /** Runs the engines' parts back to back, turn {@code turn} starting with engine {@code turn mod n}. */
    private static void inTurn(int turn, List<Timed> engines) throws IOException {
        for (int i = 0; i < engines.size(); i++) {
            engines.get((turn + i) % engines.size()).run();
        }
    }

    private static double seconds(Runnable work) {
        long t0 = System.nanoTime();
        work.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    /** The Pythons asked for, or those of the defaults that are there. */
    private List<String> references() {
        if (pythons != null && !pythons.isEmpty()) {
            return pythons;
        }
        Path home = Path.of(System.getProperty("shortrun.home", "."));
        List<String> found = new ArrayList<>();
        for (Path py : List.of(Path.of("/usr/bin/python3"), home.resolve(".venv-torch-cuda/bin/python"))) {
            if (Files.isExecutable(py)) {
                found.add(py.toString());
            }
        }
        if (found.isEmpty()) {
            found.add("python3");
        }
        return found;
    }

    private List<String> command(String py) {
        Path script = Path.of(System.getProperty("shortrun.home", "."), "infra", "bench", "pytorch_bench.py");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("PyTorch reference script not found at " + script
                    + " (run from the repository root or through ./shortrun)");
        }
        return List.of(py, script.toString(), "--threads", "" + threads, "--batch", "" + batch, "--channels",
                "" + channels, "--K", "" + k);
    }

    /** The PyTorch seed code in a child process, answering timing requests one line at a time. */
    private static final class Reference implements AutoCloseable {
        private final Process process;
        private final BufferedReader answers;
        private final Writer requests;
        private final String command;
        private final String name;

        Reference(List<String> command) throws IOException {
            this.command = String.join(" ", command);
            System.err.println("PyTorch reference: " + this.command);
            // the launcher's malloc settings are inherited by the child: both engines run under the same ones
            System.getenv().entrySet().stream().filter(e -> e.getKey().startsWith("MALLOC_"))
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(e -> System.err.println("  both engines run with " + e.getKey() + "=" + e.getValue()));
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            requests = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            name = "PyTorch " + read("ready").get("torch").getAsString().replaceAll("\\+.*", "");
            System.err.println("  " + name);
        }

        /** "PyTorch 1.13.0", say. */
        String name() {
            return name;
        }

        double ask(String request) throws IOException {
            requests.write(request + "\n");
            requests.flush();
            return read("seconds").get("seconds").getAsDouble();
        }

        private JsonObject read(String key) throws IOException {
            String line = answers.readLine();
            if (line == null) {
                throw new IllegalStateException("the PyTorch reference stopped (" + command + "); is torch installed "
                        + "for that python? (Debian: apt-get install python3-torch) Or use --no-reference.");
            }
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            if (!o.has(key)) {
                throw new IllegalStateException("unexpected answer from the PyTorch reference: " + line);
            }
            return o;
        }

        @Override
        public void close() throws IOException {
            requests.write("quit\n");
            requests.close();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Practical peak in {@code precision} on the configured threads: the faster of a 2048^3 matrix product and a 3x3
     * convolution of 256 -> 256 channels on 64x16x16 (channels-last), each its best of 3. libtorch's matmul can run
     * well below its oneDNN convolutions (on this AMD CPU ~125 vs ~210 GFLOP/s), and the matmul alone put the nets
     * above 100%.
     */
    private static double measurePeakGflops(Precision precision) {
        try (NDManager m = Devices.newManager()) {
            NDArray a = Casts.to(m.randomUniform(-1, 1, new Shape(2048, 2048)), precision);
            NDArray b = Casts.to(m.randomUniform(-1, 1, new Shape(2048, 2048)), precision);
            double matmul = bestGflops(2.0 * 2048 * 2048 * 2048, () -> a.matMul(b).close());
            NDArray x = Casts.to(ChannelsLast.copyOf(m.randomUniform(-1, 1, new Shape(64, 256, 16, 16))), precision);
            NDArray w = Casts.to(ChannelsLast.copyOf(m.randomUniform(-1, 1, new Shape(256, 256, 3, 3))), precision);
            Shape one = new Shape(1, 1);
            double conv = bestGflops(2.0 * 64 * 16 * 16 * 256 * 256 * 9,
                    () -> Conv2d.conv2d(x, w, null, one, one, one, 1).close());
            return Math.max(matmul, conv);
        }
    }

    /** GFLOP/s of the fastest of 3 timed runs after a warm-up run. */
    private static double bestGflops(double flops, Runnable op) {
        op.run();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            op.run();
            best = Math.min(best, System.nanoTime() - start);
        }
        return flops / (best / 1e9) / 1e9;
    }

    /** Uniform noise images standing in for data: the cost of an iteration does not depend on content. */
    private static final class RandomImages implements PositiveSource {
        private final int channels;

        RandomImages(int channels) {
            this.channels = channels;
        }

        @Override
        public NDArray batch(NDManager manager, int size, Rng rng) {
            return new RandomTensors(rng).uniform(manager, new Shape(size, channels, 32, 32), -1, 1);
        }

        @Override
        public long[] exampleShape() {
            return new long[] {channels, 32, 32};
        }

        @Override
        public String fingerprint() {
            return "random";
        }
    }
}
