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
import dev.shortrun.model.torch.ChannelsLast;
import dev.shortrun.model.torch.Devices;
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
import java.util.Arrays;
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
                + "PyTorch reference (infra/bench/pytorch_bench.py), and print the time ratio, GFLOP/s and the "
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

    @Option(names = "--python", description = "Python with torch for the reference (default /usr/bin/python3).")
    String python;

    @Option(names = "--no-reference", description = "Skip the PyTorch reference (no ratio is printed).")
    boolean noReference;

    /** One engine's per-turn times of a step and of an iteration. */
    private record Timing(double[] stepSeconds, double[] iterationSeconds) {
        Timing(int turns) {
            this(new double[turns], new double[turns]);
        }
    }

    @Override
    public Integer call() throws Exception {
        Torch.configure(threads);
        double peak = measurePeakGflops();
        Map<Integer, Timing> djl = new HashMap<>();
        Map<Integer, Timing> torch = new HashMap<>();
        try (Reference reference = noReference ? null : new Reference(command())) {
            for (int nf : widths) {
                System.err.printf("timing n_f=%d: DJL and PyTorch in turns ...%n", nf);
                time(nf, reference, djl, torch);
                // the machine's speed drifts by tens of percent over minutes: the peak is the best seen throughout
                peak = Math.max(peak, measurePeakGflops());
            }
        }
        System.out.printf(Locale.ROOT, "%nshortrun bench: batch %d, %dx32x32, K=%d, %d threads; measured peak %.1f "
                + "GFLOP/s (best of a matmul and a convolution); %d turns%n", batch, channels, k, threads, peak,
                iterations);
        System.out.printf(Locale.ROOT, "%-5s %-14s %10s %10s %7s %13s %9s %7s%n", "n_f", "what", "DJL s",
                "PyTorch s", "ratio", "turns' range", "GFLOP/s", "% peak");
        for (int nf : widths) {
            long fwdFlops = 2L * batch * EnergyNet.macsPerExample(NetConfig.shortRun(32, channels, nf));
            Timing ref = torch.get(nf);
            row(nf, "langevin step", djl.get(nf).stepSeconds(), ref == null ? null : ref.stepSeconds(),
                    2.0 * fwdFlops, peak);
            row(nf, "iteration K=" + k, djl.get(nf).iterationSeconds(), ref == null ? null : ref.iterationSeconds(),
                    (2.0 * k + 6) * fwdFlops, peak);
        }
        System.out.println("times: each engine's best turn; ratio: DJL time / PyTorch time, the median over turns of "
                + "the two engines timed back to back (<= 1.0: DJL is at least as fast), with the turns' range.");
        return 0;
    }

    /** A table row: DJL's best time, PyTorch's (or "-"), the median of the turns' ratios and their range. */
    private static void row(int nf, String what, double[] djl, double[] torch, double flops, double peak) {
        double best = Arrays.stream(djl).min().orElseThrow();
        double gflops = flops / best / 1e9;
        String reference = "-";
        String ratio = "-";
        String range = "-";
        if (torch != null) {
            double[] ratios = new double[djl.length];
            Arrays.setAll(ratios, i -> djl[i] / torch[i]);
            Arrays.sort(ratios);
            int n = ratios.length;
            reference = String.format(Locale.ROOT, "%.4f", Arrays.stream(torch).min().orElseThrow());
            ratio = String.format(Locale.ROOT, "%.3f", (ratios[(n - 1) / 2] + ratios[n / 2]) / 2); // the median
            range = String.format(Locale.ROOT, "%.3f-%.3f", ratios[0], ratios[n - 1]);
        }
        System.out.printf(Locale.ROOT, "%-5d %-14s %10.4f %10s %7s %13s %9.1f %6.1f%%%n", nf, what, best, reference,
                ratio, range, gflops, 100 * gflops / peak);
    }

    /**
     * Times DJL and the reference back to back, turn by turn, the engine going first alternating: slow drifts in the
     * machine's speed (+-10% within minutes on a shared machine) then hit both engines of a turn alike, and the
     * median of the turns' ratios ignores a turn that a burst of load hit in the middle.
     */
    private void time(int nf, Reference reference, Map<Integer, Timing> djl, Map<Integer, Timing> torch)
            throws IOException {
        Rng rng = new Rng(1);
        try (NDManager manager = Devices.newManager();
             EnergyNet net = EnergyNet.create(NetConfig.shortRun(32, channels, nf), manager, rng);
             Learner learner = new Learner(net, new LangevinSampler(LangevinConfig.shortRun(k)),
                     LearnerConfig.shortRun(), new RandomImages(channels), rng)) {
            RandomTensors random = new RandomTensors(rng);
            LangevinSampler sampler = new LangevinSampler(LangevinConfig.shortRun(k));
            NDArray x = random.uniform(manager, new Shape(batch, channels, 32, 32), -1, 1);
            for (int i = 0; i < warmup; i++) {
                sampler.run(net, x, 3, random, true, null).samples().close();
                learner.step();
                if (reference != null) {
                    reference.ask("steps " + nf + " 3");
                    reference.ask("iter " + nf);
                }
            }
            Timing mine = new Timing(iterations);
            Timing theirs = new Timing(iterations);
            for (int turn = 0; turn < iterations; turn++) {
                int t = turn;
                boolean djlFirst = turn % 2 == 0;
                backToBack(djlFirst, () -> mine.stepSeconds()[t] = seconds(() -> sampler.run(net, x, steps, random,
                                true, null).samples().close()) / steps,
                        reference == null ? null
                                : () -> theirs.stepSeconds()[t] = reference.ask("steps " + nf + " " + steps) / steps);
                backToBack(djlFirst, () -> mine.iterationSeconds()[t] = seconds(learner::step),
                        reference == null ? null : () -> theirs.iterationSeconds()[t] = reference.ask("iter " + nf));
            }
            djl.put(nf, mine);
            if (reference != null) {
                torch.put(nf, theirs);
            }
        }
    }

    /** A timed part of a turn. */
    private interface Timed {
        void run() throws IOException;
    }

    private static void backToBack(boolean djlFirst, Timed djl, Timed reference) throws IOException {
        if (reference != null && !djlFirst) {
            reference.run();
        }
        djl.run();
        if (reference != null && djlFirst) {
            reference.run();
        }
    }

    private static double seconds(Runnable work) {
        long t0 = System.nanoTime();
        work.run();
        return (System.nanoTime() - t0) / 1e9;
    }

    private List<String> command() {
        Path script = Path.of(System.getProperty("shortrun.home", "."), "infra", "bench", "pytorch_bench.py");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("PyTorch reference script not found at " + script
                    + " (run from the repository root or through ./shortrun)");
        }
        String py = python != null ? python : (Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3"
                : "python3");
        return List.of(py, script.toString(), "--threads", "" + threads, "--batch", "" + batch, "--channels",
                "" + channels, "--K", "" + k);
    }

    /** The PyTorch seed code in a child process, answering timing requests one line at a time. */
    private static final class Reference implements AutoCloseable {
        private final Process process;
        private final BufferedReader answers;
        private final Writer requests;
        private final String command;

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
            read("ready");
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
     * Practical fp32 peak on the configured threads: the faster of a 2048^3 matrix product and a 3x3 convolution of
     * 256 -> 256 channels on 64x16x16 (channels-last), each its best of 3. libtorch's matmul can run well below its
     * oneDNN convolutions (on this AMD CPU ~125 vs ~210 GFLOP/s), and the matmul alone put the nets above 100%.
     */
    private static double measurePeakGflops() {
        try (NDManager m = Devices.newManager()) {
            NDArray a = m.randomUniform(-1, 1, new Shape(2048, 2048));
            NDArray b = m.randomUniform(-1, 1, new Shape(2048, 2048));
            double matmul = bestGflops(2.0 * 2048 * 2048 * 2048, () -> a.matMul(b).close());
            NDArray x = ChannelsLast.copyOf(m.randomUniform(-1, 1, new Shape(64, 256, 16, 16)));
            NDArray w = ChannelsLast.copyOf(m.randomUniform(-1, 1, new Shape(256, 256, 3, 3)));
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
