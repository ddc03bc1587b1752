package dev.shortrun.cli;

import dev.shortrun.model.data.DatasetFormats;
import dev.shortrun.model.metrics.FeatureNetwork;
import dev.shortrun.model.metrics.FeatureStatistics;
import dev.shortrun.model.metrics.FrechetDistance;
import dev.shortrun.model.metrics.InceptionNetwork;
import dev.shortrun.model.metrics.InceptionScore;
import dev.shortrun.model.metrics.LeNet;
import dev.shortrun.model.metrics.UInt8Images;
import dev.shortrun.model.torch.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code shortrun fid A B}: FID (and each set's IS) between two image sets. */
@Command(name = "fid", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"FID between two image sets, and the IS of each (pytorch-fid conventions: uint8 images, "
                + "float64 statistics, 10 IS splits).",
                "A set is a folder of images (png/jpg/bmp/gif, one size), an .npy file (uint8 N x C x H x W or "
                        + "N x H x W x C, or float model samples in [-1, 1]), or DATASET:SPLIT (e.g. mnist:test) "
                        + "read from --data-dir."})
final class FidCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "A", description = "First image set.")
    String first;

    @Parameters(index = "1", paramLabel = "B", description = "Second image set.")
    String second;

    @Option(names = "--network", defaultValue = "inception",
            description = "inception (FID Inception from fetch-inception) or lenet (offline FID-LeNet / IS-LeNet); "
                    + "default ${DEFAULT-VALUE}.")
    String network;

    @Option(names = "--lenet-dataset", defaultValue = "mnist",
            description = "With --network lenet: which LeNet (mnist or fashion-mnist; default ${DEFAULT-VALUE}); its "
                    + "training files come from --data-dir.")
    String lenetDataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data set files for DATASET:SPLIT sets and for training the LeNet.")
    Path dataDir;

    @Option(names = "--image-size", defaultValue = "32",
            description = "Side length DATASET:SPLIT images are read at, as training reads them (default ${DEFAULT-VALUE}).")
    int imageSize;

    @Option(names = "--n", defaultValue = "0", description = "Use the first N images of each set (default: all).")
    int n;

    @Option(names = "--splits", defaultValue = "10", description = "IS splits (default ${DEFAULT-VALUE}).")
    int splits;

    @Option(names = "--inception-dir", paramLabel = "DIR", description = "Where fetch-inception put the network.")
    Path inceptionDir;

    @Option(names = "--lenet-dir", paramLabel = "DIR", description = "Root of the trained LeNets.")
    Path lenetDir;

    @Option(names = "--threads", defaultValue = "2", description = "PyTorch intra-op threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() {
        if (n < 0) {
            throw new IllegalArgumentException("--n must be >= 0, got " + n);
        }
        UInt8Images a = read(first);
        UInt8Images b = read(second);
        Torch.configure(threads);
        try (FeatureNetwork net = open()) {
            FeatureNetwork.Features fa = features(net, a, "A");
            FeatureNetwork.Features fb = features(net, b, "B");
            String suffix = net.name().equals("inception") ? "" : "-LeNet";
            double fid = FrechetDistance.of(FeatureStatistics.of(fa.features()), FeatureStatistics.of(fb.features()));
            InceptionScore.Result isA = InceptionScore.of(fa.logits(), splits);
            InceptionScore.Result isB = InceptionScore.of(fb.logits(), splits);
            System.out.printf(Locale.ROOT, "FID%s: %.4f  (A: %d images, B: %d images)%n", suffix, fid, a.count(),
                    b.count());
            System.out.printf(Locale.ROOT, "IS%s A: %.4f +- %.4f%n", suffix, isA.mean(), isA.std());
            System.out.printf(Locale.ROOT, "IS%s B: %.4f +- %.4f%n", suffix, isB.mean(), isB.std());
        }
        return 0;
    }

    private FeatureNetwork open() {
        return switch (network) {
            case "inception" -> {
                InceptionNetwork net = InceptionNetwork.load(inceptionDir != null ? inceptionDir
                        : InceptionNetwork.defaultDir());
                if (!net.official()) {
                    System.err.println("warning: this FID Inception has RANDOM weights (built with --random-init): "
                            + "its numbers are not FID");
                }
                yield net;
            }
            case "lenet" -> {
                if (dataDir == null) {
                    throw new IllegalArgumentException("--network lenet needs --data-dir (the LeNet's training data)");
                }
                yield LeNet.obtain(lenetDataset, dataDir, lenetDir != null ? lenetDir : LeNet.defaultDir(),
                        FeatureNetwork.Progress.NONE);
            }
            default -> throw new IllegalArgumentException("--network must be inception or lenet, got '" + network
                    + "'");
        };
    }

    private FeatureNetwork.Features features(FeatureNetwork net, UInt8Images images, String label) {
        ProgressBar bar = new ProgressBar(System.err, net.name() + " " + label, 0, images.count());
        return net.run(images, (done, total) -> bar.update(done, ""));
    }

    private UInt8Images read(String source) {
        int colon = source.indexOf(':');
        UInt8Images images;
        if (colon > 0 && DatasetFormats.imageNames().contains(source.substring(0, colon))) {
            if (dataDir == null) {
                throw new IllegalArgumentException(source + " needs --data-dir");
            }
            images = UInt8Images.fromDataset(DatasetFormats.image(source.substring(0, colon)).read(dataDir,
                    source.substring(colon + 1), imageSize, n));
        } else {
            Path path = Path.of(source);
            if (!path.toFile().exists()) {
                throw new IllegalArgumentException("image set not found: " + source + " (a folder, an .npy file or "
                        + "DATASET:SPLIT with DATASET one of " + DatasetFormats.imageNames() + ")");
            }
            images = UInt8Images.read(path);
        }
        return n > 0 ? images.first(n) : images;
    }
}
