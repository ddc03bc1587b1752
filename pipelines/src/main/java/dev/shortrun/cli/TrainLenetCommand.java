package dev.shortrun.cli;

import dev.shortrun.model.metrics.LeNet;
import dev.shortrun.model.torch.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code shortrun train-lenet}: the offline metric network for MNIST / Fashion-MNIST (FID-LeNet, IS-LeNet). */
@Command(name = "train-lenet", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train (once) the LeNet behind the offline metrics FID-LeNet and IS-LeNet.",
                "Fixed recipe (seed 1, Adam 1e-3, batch 128, 3 epochs on the 32x32 training split); cached per data "
                        + "set and training-file checksum, so later calls (and the score step) just load it. "
                        + "These metrics are for CPU-scale comparisons and are NOT comparable with published FID/IS."})
final class TrainLenetCommand implements Callable<Integer> {
    @Option(names = "--dataset", required = true, description = "mnist or fashion-mnist.")
    String dataset;

    @Option(names = "--data-dir", required = true, description = "Directory with the data set's IDX files.")
    Path dataDir;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Root of the trained LeNets (default: $SHORTRUN_LENET_DIR or ~/.cache/shortrun/lenet).")
    Path out;

    @Option(names = "--threads", defaultValue = "2", description = "PyTorch intra-op threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() {
        Torch.configure(threads);
        long start = System.nanoTime();
        ProgressBar[] bar = new ProgressBar[1];
        try (LeNet net = LeNet.obtain(dataset, dataDir, out != null ? out : LeNet.defaultDir(), (done, total) -> {
            if (bar[0] == null) {
                bar[0] = new ProgressBar(System.err, "train-lenet", 0, total);
            }
            bar[0].update(done, "");
        })) {
            LeNet.Manifest m = net.manifest();
            System.out.printf("LeNet for %s: test accuracy %.4f, sha256 %s (%.0f s)%n", m.dataset(), m.testAccuracy(),
                    m.paramsSha256(), (System.nanoTime() - start) / 1e9);
        }
        return 0;
    }
}
