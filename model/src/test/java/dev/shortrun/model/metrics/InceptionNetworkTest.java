package dev.shortrun.model.metrics;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.shortrun.model.io.Npy;
import dev.shortrun.model.io.Sha256;
import dev.shortrun.model.io.Tensor;
import dev.shortrun.model.torch.Torch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TorchScript plumbing with a randomly initialised FID Inception exported by PyTorch: features and logits from
 * DJL equal those of the eager PyTorch network on the same uint8 images, and FID / IS computed in Java equal
 * pytorch-fid's computation in Python (NumPy statistics, SciPy sqrtm) with the same network.
 * Slow by nature (~1-2 min: the Debian PyTorch needs ~2.5 s per 299x299 image, SciPy's 2048-d sqrtm ~35 s).
 */
class InceptionNetworkTest {
    private static final int SEED = 7;
    @TempDir
    static Path dir;
    private static JsonObject reference;
    private static InceptionNetwork network;
    private static FeatureNetwork.Features featuresA;
    private static FeatureNetwork.Features featuresB;
    private static double secondsPerImage;

    @BeforeAll
    static void exportAndRunReference() throws Exception {
        Torch.configure(2);
        InceptionFixture.randomNetwork(dir, SEED);
        // 10 colour images 32x32 (IS needs >= 10 for 10 splits) and 4 grey 28x28 ones (repeated to RGB)
        InceptionFixture.python("import numpy as np; r = np.random.default_rng(5); d = '" + dir + "'\n"
                + "a = r.integers(0, 256, (10, 3, 32, 32), dtype=np.uint8); a[:5] //= 3\n"
                + "np.save(d + '/a.npy', a)\n"
                + "np.save(d + '/b.npy', r.integers(0, 256, (4, 1, 28, 28), dtype=np.uint8))\n");
        long start = System.nanoTime();
        InceptionFixture.run("--reference", Integer.toString(SEED), dir.toString(), "--threads", "2");
        System.out.printf("PyTorch reference (14 images, FID with SciPy): %.1f s%n", (System.nanoTime() - start) / 1e9);
        reference = JsonParser.parseString(Files.readString(dir.resolve("ref.json"))).getAsJsonObject();
        network = InceptionNetwork.load(dir);
        UInt8Images a = UInt8Images.read(dir.resolve("a.npy"));
        assertEquals(10, a.count());
        start = System.nanoTime();
        featuresA = network.run(a, FeatureNetwork.Progress.NONE);
        secondsPerImage = (System.nanoTime() - start) / 1e9 / a.count();
        featuresB = network.run(UInt8Images.read(dir.resolve("b.npy")), FeatureNetwork.Progress.NONE);
    }

    @AfterAll
    static void close() {
        if (network != null) {
            network.close();
        }
    }

    @Test
    void featuresAndLogitsEqualPyTorch() throws Exception {
        System.out.printf("DJL Inception: %.2f s per image (10 images, first call)%n", secondsPerImage);
        FeatureNetwork.Features f = featuresA;
        assertClose("pool3", f.features(), Npy.read(dir.resolve("ref_pool_a.npy")));
        assertClose("logits", f.logits(), Npy.read(dir.resolve("ref_logits_a.npy")));
        assertEquals(2048, f.features()[0].length);
        assertEquals(1008, f.logits()[0].length);
    }

    @Test
    void fidAndIsEqualPytorchFidStyleComputation() {
        FeatureNetwork.Features fa = featuresA;
        FeatureNetwork.Features fb = featuresB;
        double fid = FrechetDistance.of(FeatureStatistics.of(fa.features()), FeatureStatistics.of(fb.features()));
        double expected = reference.get("fid").getAsDouble();
        System.out.printf("FID java %.9f python %.9f (rel %.2e)%n", fid, expected, Math.abs(fid - expected) / expected);
        assertTrue(expected > 0);
        assertEquals(expected, fid, 1e-5 * expected);
        InceptionScore.Result is = InceptionScore.of(fa.logits(), 10);
        assertEquals(reference.get("is_mean").getAsDouble(), is.mean(), 1e-5 * is.mean());
        assertEquals(reference.get("is_std").getAsDouble(), is.std(), 1e-4 * is.std() + 1e-9);
    }

    @Test
    void manifestMarksTheRandomNetworkAsNotOfficial() {
        assertFalse(network.official());
        assertEquals(64, network.checksum().length());
    }

    @Test
    void missingNetworkSaysHowToGetIt(@TempDir Path empty) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> InceptionNetwork.load(empty));
        assertTrue(e.getMessage().contains("fetch-inception"), e.getMessage());
        assertTrue(e.getMessage().contains("pt_inception-2015-12-05-6726825d.pth"), e.getMessage());
    }

    @Test
    void untrustedTorchScriptIsRefusedWithoutRunningIt(@TempDir Path other) throws Exception {
        // a scripted module that would print when run, where a spec's score.inception_dir could point
        Files.writeString(other.resolve("foreign.py"), "import torch\n"
                + "class M(torch.nn.Module):\n"
                + "    def forward(self, x):\n"
                + "        print('foreign code ran')\n"
                + "        return x, x\n");
        // torch.jit.script needs the class's source in a file
        InceptionFixture.python("import sys, torch; sys.path.insert(0, '" + other + "'); import foreign\n"
                + "torch.jit.script(foreign.M()).save('" + other.resolve(InceptionNetwork.NETWORK_FILE) + "')\n");
        Files.writeString(other.resolve(InceptionNetwork.MANIFEST_FILE), "{\"mode\": \"official\", "
                + "\"network_sha256\": \"" + Sha256.hex(other.resolve(InceptionNetwork.NETWORK_FILE)) + "\"}");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> InceptionNetwork.load(other));
        String sha = Sha256.hex(other.resolve(InceptionNetwork.NETWORK_FILE));
        assertEquals(other.resolve(InceptionNetwork.NETWORK_FILE) + " (sha256 " + sha + ") is not a network "
                + "fetch-inception built here (" + TrustedNetworks.file() + " does not list it); a TorchScript file "
                + "runs code, so it is not loaded: build it with `./shortrun fetch-inception --out "
                + other.toAbsolutePath() + "`", e.getMessage());
        assertThrows(IllegalStateException.class, () -> InceptionNetwork.requireInstalled(other));
    }

    @Test
    void trustFollowsTheBytesNotTheFolder(@TempDir Path other) throws Exception {
        Files.copy(dir.resolve(InceptionNetwork.NETWORK_FILE), other.resolve(InceptionNetwork.NETWORK_FILE));
        try (InceptionNetwork copy = InceptionNetwork.load(other)) {
            assertEquals(network.checksum(), copy.checksum());
            assertFalse(copy.official());
        }
    }

    static void assertClose(String what, float[][] actual, Tensor expected) {
        int d = expected.dim(1);
        assertEquals(expected.dim(0), actual.length, what + ": rows");
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            for (int j = 0; j < d; j++) {
                float e = expected.data()[i * d + j];
                scale = Math.max(scale, Math.abs(e));
                worst = Math.max(worst, Math.abs(actual[i][j] - e));
            }
        }
        System.out.printf("%s: max |diff| %.3g, max |ref| %.3g%n", what, worst, scale);
        assertTrue(scale > 0, what + ": reference all zeros");
        assertTrue(worst <= 1e-5 * scale, what + ": max |diff| " + worst + " > 1e-5 x " + scale);
    }
}
