package dev.shortrun.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.shortrun.model.io.JsonFiles;
import dev.shortrun.model.io.Sha256;
import dev.shortrun.model.metrics.FeatureNetwork;
import dev.shortrun.model.metrics.InceptionNetwork;
import dev.shortrun.model.metrics.TrustedNetworks;
import dev.shortrun.model.metrics.UInt8Images;
import dev.shortrun.model.torch.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code shortrun fetch-inception}: builds the FID Inception TorchScript file that scoring loads. */
@Command(name = "fetch-inception", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Build the FID Inception network (pytorch-fid's, for FID and IS) as TorchScript for scoring.",
                "Runs infra/inception/build_inception.py with Python + PyTorch: it reads the official weights "
                        + "pt_inception-2015-12-05-6726825d.pth from --weights, or downloads them from "
                        + InceptionNetwork.WEIGHTS_URL + ", checks their full sha256 ("
                        + InceptionNetwork.WEIGHTS_SHA256 + ") before unpickling them, and writes fid-inception.pt + "
                        + "fid-inception.json into the output folder.",
                "Scoring runs a TorchScript network only when its sha256 is listed in the trusted-network manifest "
                        + "($SHORTRUN_TRUSTED_NETWORKS, default ~/.config/shortrun/trusted-networks.json), and only "
                        + "this command adds to it: a network copied or planted elsewhere is refused."})
final class FetchInceptionCommand implements Callable<Integer> {
    @Option(names = "--weights", paramLabel = "FILE.pth",
            description = "A local copy of pt_inception-2015-12-05-6726825d.pth (default: download it).")
    Path weights;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: $SHORTRUN_INCEPTION_DIR or "
            + "~/.cache/shortrun/inception, where scoring looks).")
    Path out;

    @Option(names = "--random-init", paramLabel = "SEED",
            description = "Random weights instead of the official ones: for tests and timing only, never for scores.")
    Integer randomInit;

    @Option(names = "--python", paramLabel = "EXE",
            description = "Python with torch (default: $SHORTRUN_PYTHON, else /usr/bin/python3).")
    String python;

    @Override
    public Integer call() throws Exception {
        Path dir = out != null ? out : InceptionNetwork.defaultDir();
        if (weights != null && !Files.isRegularFile(weights)) {
            throw new IllegalArgumentException("--weights: file not found: " + weights);
        }
        String weightsSha = weights == null ? null : Sha256.hex(weights);
        if (weightsSha != null && !weightsSha.equals(InceptionNetwork.WEIGHTS_SHA256)) {
            // a .pth file is a pickle: unpickling runs code, so only the one known file is handed to torch.load
            throw new IllegalArgumentException("--weights " + weights + " has sha256 " + weightsSha
                    + ", not that of pt_inception-2015-12-05-6726825d.pth (" + InceptionNetwork.WEIGHTS_SHA256
                    + "); it is not loaded");
        }
        Path script = Path.of(System.getProperty("shortrun.home", "."), "infra", "inception", "build_inception.py");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("build script not found at " + script + " (run through ./shortrun)");
        }
        List<String> command = new ArrayList<>(List.of(pythonExe(python), script.toString(), "--out", dir.toString()));
        if (weights != null) {
            command.addAll(List.of("--weights", weights.toString()));
        }
        if (randomInit != null) {
            command.addAll(List.of("--random-init", randomInit.toString()));
        }
        System.err.println("building the FID Inception network in " + dir + " ...");
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("build_inception.py failed (exit " + p.exitValue() + "); see above");
        }
        trust(dir);
        Torch.configure(2);
        try (InceptionNetwork net = InceptionNetwork.load(dir)) {
            // one forward pass proves that DJL runs the file
            FeatureNetwork.Features f = net.run(new UInt8Images(1, 3, 32, 32, new byte[3 * 32 * 32]),
                    FeatureNetwork.Progress.NONE);
            System.out.println("network: " + dir.resolve(InceptionNetwork.NETWORK_FILE) + " (sha256 "
                    + net.checksum() + ", " + (net.official() ? "official FID weights" : "RANDOM weights: tests only")
                    + ", " + f.features()[0].length + " features, " + f.logits()[0].length + " logits)");
        }
        return 0;
    }

    /**
     * Adds the network just built to the trusted-network manifest, after checking that the file is the one the build
     * described (its fid-inception.json names the network's sha256 and how it was built).
     */
    static void trust(Path dir) throws IOException {
        Path network = dir.resolve(InceptionNetwork.NETWORK_FILE);
        Path manifest = dir.resolve(InceptionNetwork.MANIFEST_FILE);
        JsonObject built;
        try {
            built = JsonParser.parseString(JsonFiles.read(manifest)).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot read " + manifest + " written by build_inception.py: "
                    + e.getMessage(), e);
        }
        String sha = Sha256.hex(network);
        String expected = built.has("network_sha256") ? built.get("network_sha256").getAsString() : "none";
        if (!sha.equals(expected)) {
            throw new IllegalStateException(network + " has sha256 " + sha + " but the build wrote " + expected
                    + " into " + manifest + ": it changed after the build; run fetch-inception again");
        }
        TrustedNetworks.add(network, sha, built.has("mode") ? built.get("mode").getAsString() : "unknown");
        System.err.println("trusted " + network + " (sha256 " + sha + ") in " + TrustedNetworks.file());
    }

    static String pythonExe(String given) {
        if (given != null) {
            return given;
        }
        String env = System.getenv("SHORTRUN_PYTHON");
        if (env != null && !env.isBlank()) {
            return env;
        }
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }
}
