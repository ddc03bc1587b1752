package dev.shortrun.model.scoring;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.shortrun.model.data.DataConfig;
import dev.shortrun.model.data.DatasetCache;
import dev.shortrun.model.data.DatasetFormats;
import dev.shortrun.model.data.ImageDataset;
import dev.shortrun.model.metrics.FeatureNetwork;
import dev.shortrun.model.metrics.FeatureStatistics;
import dev.shortrun.model.metrics.FrechetDistance;
import dev.shortrun.model.metrics.InceptionNetwork;
import dev.shortrun.model.metrics.InceptionScore;
import dev.shortrun.model.metrics.LeNet;
import dev.shortrun.model.metrics.StatisticsCache;
import dev.shortrun.model.metrics.UInt8Images;
import dev.shortrun.model.nets.Parameters;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.model.torch.Devices;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.util.Rng;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores one checkpoint: N short-run samples (K = the checkpoint's K_max), rounded to uint8 as saved pictures are,
 * then IS and FID against the training data's reference statistics, with the FID Inception ("fid", "is",
 * "is_std") and/or the offline LeNet ("fid_lenet", "is_lenet", "is_lenet_std").
 */
public final class CheckpointScorer {
    /** Which networks score: auto = the LeNet for mnist / fashion-mnist, the FID Inception for the rest. */
    public enum Networks { AUTO, INCEPTION, LENET, BOTH }

    /**
     * @param n            samples per checkpoint
     * @param batch        samples per Langevin chain batch
     * @param seed         seed of the sampling chains
     * @param splits       IS splits
     * @param networks     which networks score
     * @param referenceN   training examples in the reference statistics (0: all)
     * @param inceptionDir where fetch-inception put the network
     * @param lenetDir     root of the trained LeNets
     * @param statsDir     where reference statistics are cached
     */
    public record Settings(int n, int batch, long seed, int splits, Networks networks, int referenceN,
                           Path inceptionDir, Path lenetDir, Path statsDir) {
        public Settings {
            if (n < 2 || batch < 1 || splits < 1 || n < splits || referenceN < 0) {
                throw new IllegalArgumentException("score settings need n >= 2 and >= splits, batch >= 1, splits >= 1,"
                        + " reference_n >= 0; got n=" + n + " batch=" + batch + " splits=" + splits
                        + " reference_n=" + referenceN);
            }
        }

        /** The conventional number of samples: 50,000 for CIFAR-10 (as the papers), 10,000 otherwise. */
        public static int defaultN(String dataset) {
            return dataset.equals("cifar10") ? 50_000 : 10_000;
        }
    }

    /** Progress of a phase ("sampling", "inception features", ...). */
    public interface Listener {
        Listener NONE = (phase, done, total) -> { };

        void update(String phase, int done, int total);
    }

    private CheckpointScorer() {
    }

    public static Map<String, Double> score(Path checkpointJson, Settings s, Listener listener) {
        UInt8Images samples;
        DataConfig data;
        try (NDManager manager = Devices.newManager();
             CheckpointSampler sampler = new CheckpointSampler(checkpointJson, manager)) {
            data = sampler.config().data();
            if (data.isToy()) {
                throw new IllegalArgumentException("score needs an image data set; " + data.dataset()
                        + " is a 2D toy (use the diagnose step's density distances)");
            }
            if (resolve(s.networks(), data.dataset()).contains(Networks.INCEPTION)) {
                InceptionNetwork.requireInstalled(s.inceptionDir()); // before minutes of sampling, not after
            }
            samples = sample(sampler, s, listener);
        }
        return scoreSamples(samples, data, s, listener);
    }

    /** IS and FID of given samples against the reference statistics of {@code data}'s training split. */
    public static Map<String, Double> scoreSamples(UInt8Images samples, DataConfig data, Settings s,
                                                   Listener listener) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Networks which : resolve(s.networks(), data.dataset())) {
            try (FeatureNetwork net = which == Networks.INCEPTION ? InceptionNetwork.load(s.inceptionDir())
                    : LeNet.obtain(data.dataset(), Path.of(data.dir()), s.lenetDir(),
                    (done, total) -> listener.update("training the LeNet", done, total))) {
                String suffix = which == Networks.INCEPTION ? "" : "_lenet";
                FeatureStatistics reference = referenceStatistics(net, data, s, listener);
                FeatureNetwork.Features f = net.run(samples,
                        (done, total) -> listener.update(net.name() + " features", done, total));
                metrics.put("fid" + suffix, FrechetDistance.of(FeatureStatistics.of(f.features()), reference));
                InceptionScore.Result is = InceptionScore.of(f.logits(), s.splits());
                metrics.put("is" + suffix, is.mean());
                metrics.put("is" + suffix + "_std", is.std());
            }
        }
        metrics.put("score_n", (double) samples.count());
        return metrics;
    }

    static List<Networks> resolve(Networks networks, String dataset) {
        return switch (networks) {
            case AUTO -> List.of(LeNet.covers(dataset) ? Networks.LENET : Networks.INCEPTION);
            case BOTH -> List.of(Networks.INCEPTION, Networks.LENET);
            default -> List.of(networks);
        };
    }

    /** Statistics of the training split (first reference_n examples) at the model's image size, cached. */
    static FeatureStatistics referenceStatistics(FeatureNetwork net, DataConfig data, Settings s, Listener listener) {
        Path dir = Path.of(data.dir());
        String md5 = DatasetFormats.image(data.dataset()).sourceMd5(dir, "train");
        String key = data.dataset() + "-train-" + data.imageSize() + "-n" + s.referenceN() + "-" + md5;
        return StatisticsCache.getOrCompute(s.statsDir(), net, key, () -> {
            ImageDataset train = data.cacheDir() != null
                    ? DatasetCache.load(Path.of(data.cacheDir()), data.dataset(), dir, "train", data.imageSize(),
                    s.referenceN())
                    : DatasetFormats.image(data.dataset()).read(dir, "train", data.imageSize(), s.referenceN());
            return UInt8Images.fromDataset(train);
        }, (done, total) -> listener.update(net.name() + " reference statistics", done, total));
    }

    /** N samples in batches, each batch's chains on a fresh sub-manager; rounded to bytes per batch. */
    static UInt8Images sample(CheckpointSampler sampler, Settings s, Listener listener) {
        RandomTensors random = new RandomTensors(new Rng(s.seed()));
        int k = sampler.config().langevin().trainingK();
        List<UInt8Images> parts = new ArrayList<>();
        for (int done = 0; done < s.n(); ) {
            int b = Math.min(s.batch(), s.n() - done);
            try (NDManager batch = Devices.newManager()) {
                NDArray start = sampler.drawStart(b, random);
                start.attach(batch);
                NDArray x = sampler.run(start, k, random, true, null).samples();
                parts.add(UInt8Images.fromModelSpace(Parameters.toTensor(x)));
                x.close();
            }
            done += b;
            listener.update("sampling", done, s.n());
        }
        return concat(parts);
    }

    static UInt8Images concat(List<UInt8Images> parts) {
        UInt8Images first = parts.get(0);
        int n = parts.stream().mapToInt(UInt8Images::count).sum();
        byte[] all = new byte[n * first.dim()];
        int at = 0;
        for (UInt8Images p : parts) {
            System.arraycopy(p.pixels(), 0, all, at, p.pixels().length);
            at += p.pixels().length;
        }
        return new UInt8Images(n, first.channels(), first.height(), first.width(), all);
    }
}
