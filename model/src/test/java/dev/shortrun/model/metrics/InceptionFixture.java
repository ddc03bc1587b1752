package dev.shortrun.model.metrics;

import dev.shortrun.model.TestSupport;
import dev.shortrun.model.io.Sha256;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Runs infra/inception/build_inception.py (Debian python3-torch) for tests: no official weights needed. */
public final class InceptionFixture {
    private InceptionFixture() {
    }

    /**
     * A randomly initialised FID Inception exported by PyTorch into {@code dir}, trusted as fetch-inception trusts
     * what it builds (in the tests' own manifest, target/trusted-networks.json).
     */
    public static Path randomNetwork(Path dir, int seed) throws IOException, InterruptedException {
        run("--out", dir.toString(), "--random-init", Integer.toString(seed));
        Path network = dir.resolve(InceptionNetwork.NETWORK_FILE);
        TrustedNetworks.add(network, Sha256.hex(network), "random-init");
        return dir;
    }

    /** build_inception.py with {@code args}; fails the test with its output when it fails. */
    public static String run(String... args) throws IOException, InterruptedException {
        Path script = TestSupport.root().resolve("infra/inception/build_inception.py");
        String[] command = new String[args.length + 2];
        command[0] = TestSupport.python();
        command[1] = script.toString();
        System.arraycopy(args, 0, command, 2, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "build_inception.py failed (python3-torch, python3-scipy installed?):\n" + out);
        return out;
    }

    /** Runs a short Python snippet with numpy (e.g. to write fixture images). */
    public static void python(String code) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(TestSupport.python(), "-c", code).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "python failed:\n" + out);
    }
}
