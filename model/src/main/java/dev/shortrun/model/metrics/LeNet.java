package dev.shortrun.model.metrics;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.shortrun.model.data.DatasetFormats;
import dev.shortrun.model.data.ImageDataset;
import dev.shortrun.model.data.ImageFormat;
import dev.shortrun.model.data.Resize;
import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.io.Sha256;
import dev.shortrun.model.torch.Devices;
import dev.shortrun.model.util.Rng;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;

/**
 * The offline metric network: a LeNet-5-like classifier (conv5 6 - maxpool - conv5 16 - maxpool - fc 120 - fc 84
 * - fc 10, ReLU) trained by shortrun on MNIST or Fashion-MNIST with a fixed seed. "FID-LeNet" is the Fréchet
 * distance of its 84-d penultimate features, "IS-LeNet" the Inception-style score of its 10-class softmax. These
 * are NOT comparable with published FID/IS; they give CPU-scale experiments a quality number without the
 * Inception weights.
 *
 * <p>Input: 32x32 grey images as the EBMs see them (uint8 / 255, then 2x - 1); other sizes are first resized
 * like the data pipeline (antialiased bilinear), colour images averaged to grey.
 */
public final class LeNet implements FeatureNetwork {
    private static final Logger LOG = LoggerFactory.getLogger(LeNet.class);
    public static final int SIZE = 32;
    static final String PREFIX = "lenet";
    static final String MANIFEST = "lenet.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
    private static final int BATCH = 256;

    /** Training recipe; all of it goes into the manifest. */
    public record Recipe(long seed, int epochs, int batch, double lr) {
        public static final Recipe DEFAULT = new Recipe(1, 3, 128, 1e-3);
    }

    /**
     * What a trained LeNet is: provenance for the cache.
     *
     * @param paramsSha256 sha256 of the DJL parameter file: the network checksum
     */
    public record Manifest(String format, String dataset, String trainSourceMd5, Recipe recipe,
                           double testAccuracy, String paramsSha256) {
    }

    private final Model model;
    private final NDManager manager;
    private final Manifest manifest;

    private LeNet(Model model, NDManager manager, Manifest manifest) {
        this.model = model;
        this.manager = manager;
        this.manifest = manifest;
    }

    /** $SHORTRUN_LENET_DIR or ~/.cache/shortrun/lenet, one sub-folder per data set and source checksum. */
    public static Path defaultDir() {
        String env = System.getenv("SHORTRUN_LENET_DIR");
        return env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "shortrun", "lenet");
    }

    /** The folder of the LeNet for a data set with this training-source checksum. */
    public static Path dirFor(Path root, String dataset, String trainSourceMd5) {
        return root.resolve(dataset + "-" + trainSourceMd5);
    }

    /** The data sets a LeNet is trained for (grey 28x28 classes): the offline FID-LeNet / IS-LeNet exist for these. */
    public static final List<String> DATASETS = List.of("mnist", "fashion-mnist");

    /** Whether the LeNet metrics exist for {@code dataset}. */
    public static boolean covers(String dataset) {
        return DATASETS.contains(dataset);
    }

    /**
     * The LeNet for {@code dataset} (mnist or fashion-mnist) in {@code dataDir}: loaded when trained before for
     * this training source, else trained now with {@link Recipe#DEFAULT} (about a minute on 2 cores) and cached.
     * Training happens in a temporary folder renamed into place, so concurrent runs never see half a network.
     */
    public static LeNet obtain(String dataset, Path dataDir, Path root, FeatureNetwork.Progress progress) {
        if (!covers(dataset)) {
            throw new IllegalArgumentException("the LeNet metrics are for " + String.join(" and ", DATASETS)
                    + ", not " + dataset);
        }
        ImageFormat format = DatasetFormats.image(dataset);
        String md5 = format.sourceMd5(dataDir, "train");
        Path dir = dirFor(root, dataset, md5);
        if (!Files.isRegularFile(dir.resolve(MANIFEST))) {
            LOG.info("training the {} LeNet for FID-LeNet / IS-LeNet (once; cached in {})", dataset, dir);
            Path tmp;
            try {
                Files.createDirectories(root);
                tmp = Files.createTempDirectory(root, ".training-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + root + ": " + e.getMessage(), e);
            }
            train(format.read(dataDir, "train", SIZE, 0), format.read(dataDir, "test", SIZE, 0), md5, Recipe.DEFAULT,
                    tmp, progress);
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // another run finished first (same seed, same network): keep theirs
                deleteTree(tmp);
            }
        }
        return load(dir);
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temporary folder is harmless
        }
    }

    static SequentialBlock features() {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(6).build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(5, 5)).setFilters(16).build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(120).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(84).build())
                .add(Activation::relu);
    }

    static Block network() {
        return new SequentialBlock().add(features()).add(Linear.builder().setUnits(10).build());
    }

    /**
     * Trains on {@code train} (labels 0..9), reports accuracy on {@code test}, and saves parameters and manifest
     * into {@code dir} (manifest last: a LeNet exists exactly when its manifest does).
     */
    public static Manifest train(ImageDataset train, ImageDataset test, String trainSourceMd5, Recipe recipe,
                                 Path dir, FeatureNetwork.Progress progress) {
        requireGrey32(train);
        Engine.getEngine("PyTorch").setRandomSeed((int) recipe.seed());
        Rng rng = new Rng(recipe.seed());
        // on the CPU whatever the run's device: the LeNet is a fixed measuring instrument, its weights pinned by sha256
        try (Model model = Model.newInstance(PREFIX, Device.cpu(), "PyTorch")) {
            model.setBlock(network());
            DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed((float) recipe.lr()))
                            .build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(1, 1, SIZE, SIZE));
                // the same uint8 path as scoring: what the LeNet learns from is what it later measures
                float[] inputs = toInput(UInt8Images.fromDataset(train));
                int n = train.count();
                int steps = recipe.epochs() * (n / recipe.batch());
                int done = 0;
                for (int epoch = 0; epoch < recipe.epochs(); epoch++) {
                    int[] order = permutation(n, rng);
                    for (int b = 0; b + recipe.batch() <= n; b += recipe.batch()) {
                        try (NDManager step = trainer.getManager().newSubManager()) {
                            int[] idx = Arrays.copyOfRange(order, b, b + recipe.batch());
                            NDArray x = step.create(gather(inputs, idx), new Shape(idx.length, 1, SIZE, SIZE));
                            NDArray y = step.create(labels(train, idx));
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDList logits = trainer.forward(new NDList(x));
                                gc.backward(trainer.getLoss().evaluate(new NDList(y), logits));
                            }
                            trainer.step();
                        }
                        progress.update(++done, steps);
                    }
                }
            }
            Files.createDirectories(dir);
            model.save(dir, PREFIX);
            Path params = paramsFile(dir);
            double accuracy;
            try (NDManager eval = model.getNDManager().newSubManager()) {
                accuracy = accuracy(classify(model, eval, UInt8Images.fromDataset(requireGrey32(test)),
                        Progress.NONE).logits(), test.labels());
            }
            Manifest manifest = new Manifest("shortrun-lenet/1", train.name(), trainSourceMd5, recipe, accuracy,
                    Sha256.hex(params));
            AtomicFiles.writeString(dir.resolve(MANIFEST), GSON.toJson(manifest));
            return manifest;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the LeNet in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Loads a trained LeNet from {@code dir}; checks its parameter file against the manifest. */
    public static LeNet load(Path dir) {
        Path manifestFile = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new IllegalStateException("no trained LeNet in " + dir + ": run `./shortrun train-lenet`");
        }
        Manifest manifest;
        try {
            manifest = GSON.fromJson(Files.readString(manifestFile), Manifest.class);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read " + manifestFile + ": " + e.getMessage(), e);
        }
        Path params = paramsFile(dir);
        String sha = Sha256.hex(params);
        if (!sha.equals(manifest.paramsSha256())) {
            throw new IllegalStateException(params + " has sha256 " + sha + ", its manifest says "
                    + manifest.paramsSha256() + ": delete " + dir + " and train again");
        }
        Model model = Model.newInstance(PREFIX, Devices.current(), "PyTorch"); // scores on the run's device
        model.setBlock(network());
        try {
            model.load(dir, PREFIX);
        } catch (IOException | MalformedModelException e) {
            model.close();
            throw new IllegalStateException("cannot load the LeNet in " + dir + ": " + e.getMessage(), e);
        }
        return new LeNet(model, model.getNDManager().newSubManager(), manifest);
    }

    private static Path paramsFile(Path dir) {
        return dir.resolve(PREFIX + "-0000.params");
    }

    public Manifest manifest() {
        return manifest;
    }

    @Override
    public String name() {
        return "lenet";
    }

    @Override
    public String checksum() {
        return manifest.paramsSha256();
    }

    @Override
    public Features run(UInt8Images images, Progress progress) {
        return classify(model, manager, images, progress);
    }

    private static Features classify(Model model, NDManager manager, UInt8Images images, Progress progress) {
        float[] input = toInput(images);
        int n = images.count();
        float[][] features = new float[n][];
        float[][] logits = new float[n][];
        SequentialBlock net = (SequentialBlock) model.getBlock();
        Block body = net.getChildren().get(0).getValue();
        Block head = net.getChildren().get(1).getValue();
        ParameterStore store = new ParameterStore(manager, false);
        int per = SIZE * SIZE;
        for (int from = 0; from < n; from += BATCH) {
            int to = Math.min(n, from + BATCH);
            try (NDManager batch = manager.newSubManager()) {
                NDArray x = batch.create(Arrays.copyOfRange(input, from * per, to * per),
                        new Shape(to - from, 1, SIZE, SIZE));
                NDArray f = body.forward(store, new NDList(x), false).singletonOrThrow();
                NDArray l = head.forward(store, new NDList(f), false).singletonOrThrow();
                split(f.toFloatArray(), features, from, to);
                split(l.toFloatArray(), logits, from, to);
            }
            progress.update(to, n);
        }
        return new Features(features, logits);
    }

    /** Fraction of {@code test} classified correctly. */
    public double accuracy(ImageDataset test) {
        return accuracy(run(UInt8Images.fromDataset(requireGrey32(test)), Progress.NONE).logits(), test.labels());
    }

    private static double accuracy(float[][] logits, int[] labels) {
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int k = 1; k < logits[i].length; k++) {
                if (logits[i][k] > logits[i][best]) {
                    best = k;
                }
            }
            right += best == labels[i] ? 1 : 0;
        }
        return (double) right / labels.length;
    }

    /** uint8 -> [0, 1] -> grey -> 32x32 -> [-1, 1], N x 1 x 32 x 32. */
    static float[] toInput(UInt8Images images) {
        int h = images.height();
        int w = images.width();
        int plane = h * w;
        Resize resize = h == SIZE && w == SIZE ? null : Resize.antialiased(h, w, SIZE, SIZE);
        float[] out = new float[images.count() * SIZE * SIZE];
        float[] grey = new float[plane];
        for (int i = 0; i < images.count(); i++) {
            int base = i * images.dim();
            Arrays.fill(grey, 0f);
            for (int c = 0; c < images.channels(); c++) {
                for (int k = 0; k < plane; k++) {
                    grey[k] += images.at(base + c * plane + k) / 255f / images.channels();
                }
            }
            if (resize == null) {
                System.arraycopy(grey, 0, out, i * plane, plane);
            } else {
                resize.apply(grey, 0, out, i * SIZE * SIZE, 1);
            }
        }
        for (int k = 0; k < out.length; k++) {
            out[k] = out[k] * 2f - 1f;
        }
        return out;
    }

    private static void split(float[] flat, float[][] rows, int from, int to) {
        int d = flat.length / (to - from);
        for (int i = from; i < to; i++) {
            rows[i] = Arrays.copyOfRange(flat, (i - from) * d, (i - from + 1) * d);
        }
    }

    private static ImageDataset requireGrey32(ImageDataset data) {
        if (data.channels() != 1 || data.height() != SIZE || data.width() != SIZE) {
            throw new IllegalArgumentException("the LeNet learns from 1x32x32 images, got " + data.name() + " "
                    + data.channels() + "x" + data.height() + "x" + data.width());
        }
        return data;
    }

    private static float[] gather(float[] inputs, int[] idx) {
        int d = SIZE * SIZE;
        float[] out = new float[idx.length * d];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(inputs, idx[i] * d, out, i * d, d);
        }
        return out;
    }

    private static float[] labels(ImageDataset data, int[] idx) {
        float[] out = new float[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = data.labels()[idx[i]];
        }
        return out;
    }

    private static int[] permutation(int n, Rng rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    @Override
    public void close() {
        manager.close();
        model.close();
    }
}
