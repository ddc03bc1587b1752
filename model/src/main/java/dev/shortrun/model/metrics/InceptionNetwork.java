package dev.shortrun.model.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import dev.shortrun.model.torch.Devices;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * pytorch-fid's FID Inception-v3 as a TorchScript file built by {@code infra/inception/build_inception.py}, run
 * through DJL. The network resizes to 299x299 and scales to [-1, 1] itself; this class only feeds it
 * {@code uint8 / 255} (torchvision's ToTensor) with grey images repeated to RGB, and returns the 2048-d pool3
 * features and the 1008 logits without bias.
 */
public final class InceptionNetwork implements FeatureNetwork {
    public static final String NETWORK_FILE = "fid-inception.pt";
    public static final String MANIFEST_FILE = "fid-inception.json";
    public static final String WEIGHTS_URL = "https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/"
            + "pt_inception-2015-12-05-6726825d.pth";
    /** The full SHA-256 of that file (pytorch-fid publishes its first 8 digits; the file is unpickled). */
    public static final String WEIGHTS_SHA256 = "6726825d0af5f729cebd5821db510b11b1cfad8faad88a03f1befd49fb9129b2";
    /** The build mode fetch-inception records for the official weights (the other is "random-init"). */
    public static final String OFFICIAL = "official";
    /** Images per forward pass: ~0.9 GB of activations at 299x299 on CPU. */
    static final int BATCH = 25;

    private final NDManager manager;
    private final PtSymbolBlock block;
    private final String checksum;
    private final boolean official;

    private InceptionNetwork(NDManager manager, PtSymbolBlock block, String checksum, boolean official) {
        this.manager = manager;
        this.block = block;
        this.checksum = checksum;
        this.official = official;
    }

    /** Where {@code fetch-inception} puts the network: $SHORTRUN_INCEPTION_DIR or ~/.cache/shortrun/inception. */
    public static Path defaultDir() {
        String env = System.getenv("SHORTRUN_INCEPTION_DIR");
        return env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "shortrun", "inception");
    }

    /** The message for a missing network: how to get it. */
    public static String missingMessage(Path dir) {
        return "no FID Inception network in " + dir + " (" + NETWORK_FILE + "): run `./shortrun fetch-inception` "
                + "(downloads pt_inception-2015-12-05-6726825d.pth from " + WEIGHTS_URL + "), or, offline, "
                + "`./shortrun fetch-inception --weights FILE` with a copy of that file";
    }

    /**
     * Fails with {@link #missingMessage} unless fetch-inception has built the network in {@code dir}, and when
     * {@link TrustedNetworks} does not list it: callers check this before minutes of sampling, not after.
     */
    public static void requireInstalled(Path dir) {
        requirePresent(dir);
        TrustedNetworks.read(dir.resolve(NETWORK_FILE));
    }

    private static void requirePresent(Path dir) {
        if (!Files.isRegularFile(dir.resolve(NETWORK_FILE))) {
            throw new IllegalStateException(missingMessage(dir));
        }
    }

    /**
     * Loads {@code dir}/fid-inception.pt; fails with {@link #missingMessage} when it is not there, and without running
     * it when {@link TrustedNetworks} does not list its SHA-256 (only networks fetch-inception built are run).
     */
    public static InceptionNetwork load(Path dir) {
        requirePresent(dir);
        Path file = dir.resolve(NETWORK_FILE);
        TrustedNetworks.Verified verified = TrustedNetworks.read(file);
        NDManager manager = NDManager.newBaseManager(Devices.current(), "PyTorch"); // the run's device
        PtSymbolBlock block;
        try {
            block = JniUtils.loadModule((PtNDManager) manager, new ByteArrayInputStream(verified.bytes()), false,
                    false);
            block.freezeParameters(true); // inference only: no parameter gradients
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw new IllegalStateException("cannot load " + file + " with DJL/PyTorch: " + e.getMessage(), e);
        }
        return new InceptionNetwork(manager, block, verified.entry().sha256(),
                OFFICIAL.equals(verified.entry().mode()));
    }

    /** True for the network built from the official weights (false: a random-init test network). */
    public boolean official() {
        return official;
    }

    @Override
    public String name() {
        return "inception";
    }

    @Override
    public String checksum() {
        return checksum;
    }

    @Override
    public Features run(UInt8Images images, Progress progress) {
        if (images.channels() != 1 && images.channels() != 3) {
            throw new IllegalArgumentException("images need 1 or 3 channels, got " + images.channels());
        }
        int n = images.count();
        float[][] features = new float[n][];
        float[][] logits = new float[n][];
        ParameterStore store = new ParameterStore(manager, false);
        for (int from = 0; from < n; from += BATCH) {
            int to = Math.min(n, from + BATCH);
            try (NDManager batch = manager.newSubManager()) {
                NDArray x = batch.create(toUnitRgb(images, from, to),
                        new Shape(to - from, 3, images.height(), images.width()));
                NDList out = block.forward(store, new NDList(x), false);
                float[] pool = out.get(0).toFloatArray();
                float[] classes = out.get(1).toFloatArray();
                int dp = pool.length / (to - from);
                int dl = classes.length / (to - from);
                for (int i = from; i < to; i++) {
                    features[i] = java.util.Arrays.copyOfRange(pool, (i - from) * dp, (i - from + 1) * dp);
                    logits[i] = java.util.Arrays.copyOfRange(classes, (i - from) * dl, (i - from + 1) * dl);
                }
                out.close();
            }
            progress.update(to, n);
        }
        return new Features(features, logits);
    }

    /** uint8 / 255 in float32, as ToTensor; grey repeated into R, G and B. */
    static float[] toUnitRgb(UInt8Images images, int from, int to) {
        int plane = images.height() * images.width();
        float[] out = new float[(to - from) * 3 * plane];
        for (int i = from; i < to; i++) {
            int src = i * images.dim();
            int dst = (i - from) * 3 * plane;
            for (int c = 0; c < 3; c++) {
                int sc = src + (images.channels() == 1 ? 0 : c * plane);
                for (int k = 0; k < plane; k++) {
                    out[dst + c * plane + k] = images.at(sc + k) / 255f;
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        manager.close(); // closes the module too
    }
}
