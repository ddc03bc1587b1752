package dev.shortrun.cli;

import dev.shortrun.model.metrics.FeatureNetwork;
import dev.shortrun.model.metrics.InceptionNetwork;
import dev.shortrun.model.metrics.UInt8Images;
import dev.shortrun.model.torch.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
                        + InceptionNetwork.WEIGHTS_URL + ", checks their sha256 prefix 6726825d, and writes "
                        + "fid-inception.pt + fid-inception.json into the output folder."})
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
