package dev.shortrun.cli;

import com.google.gson.GsonBuilder;
import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.metrics.InceptionNetwork;
import dev.shortrun.model.metrics.LeNet;
import dev.shortrun.model.run.Checkpoint;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.scoring.CheckpointScorer;
import dev.shortrun.model.torch.Torch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code shortrun score CHECKPOINT}: IS and FID of a checkpoint's short-run samples. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"IS and FID of N short-run samples from a checkpoint, against the training data.",
                "Samples are rounded to uint8 as saved pictures are. CIFAR-10 and folders are scored with the FID "
                        + "Inception (run fetch-inception first); MNIST / Fashion-MNIST with the offline FID-LeNet "
                        + "and IS-LeNet (the LeNet is trained on first use). Reference statistics are cached per "
                        + "data set and network. Writes RUN/scores/score-iter-N.json."})
final class ScoreCommand implements Callable<Integer> {
    @Mixin
    CheckpointOptions trained;

    @Option(names = {"-n", "--n"}, description = "Samples (default 50000 for cifar10, else 10000).")
    Integer n;

    @Option(names = "--batch", defaultValue = "100", description = "Chains sampled at once (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the sampling chains (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--splits", defaultValue = "10", description = "IS splits (default ${DEFAULT-VALUE}).")
    int splits;

    @Option(names = "--networks", defaultValue = "auto",
            description = "auto, inception, lenet or both (default ${DEFAULT-VALUE}: lenet for mnist/fashion-mnist, "
                    + "inception otherwise).")
    String networks;

    @Option(names = "--reference-n", defaultValue = "0",
            description = "Training examples in the reference statistics (default: all).")
    int referenceN;

    @Option(names = "--inception-dir", paramLabel = "DIR", description = "Where fetch-inception put the network.")
    Path inceptionDir;

    @Option(names = "--lenet-dir", paramLabel = "DIR", description = "Root of the trained LeNets.")
    Path lenetDir;

    @Option(names = "--stats-dir", paramLabel = "DIR",
            description = "Cache of reference statistics (default ~/.cache/shortrun/feature-stats).")
    Path statsDir;


    @Override
    public Integer call() throws IOException {
        Path json = trained.json();
        Checkpoint c = Checkpoint.read(json);
        CheckpointScorer.Networks which;
        try {
            which = CheckpointScorer.Networks.valueOf(networks.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--networks must be auto, inception, lenet or both, got '" + networks
                    + "'");
        }
        CheckpointScorer.Settings settings = new CheckpointScorer.Settings(
                n != null ? n : CheckpointScorer.Settings.defaultN(c.config().data().dataset()), batch, seed, splits,
                which, referenceN, inceptionDir != null ? inceptionDir : InceptionNetwork.defaultDir(),
                lenetDir != null ? lenetDir : LeNet.defaultDir(),
                statsDir != null ? statsDir : LeNet.defaultDir().resolveSibling("feature-stats"));
        Torch.configure(trained.threads);
        long start = System.nanoTime();
        Map<String, Double> metrics = CheckpointScorer.score(json, settings, new PhaseProgress());
        double seconds = (System.nanoTime() - start) / 1e9;
        metrics.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-14s %.4f%n", k, v));
        Path out = CheckpointOptions.runFile(json, RunDirectory.SCORES,
                "score-" + RunDirectory.iterName(c.iteration()) + ".json");
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("checkpoint", json.toAbsolutePath().toString());
        record.put("iteration", c.iteration());
        record.put("settings", settings.toString());
        record.put("metrics", metrics);
        record.put("seconds", seconds);
        AtomicFiles.writeString(out, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
                .create().toJson(record));
        System.out.printf(Locale.ROOT, "scores: %s (%.0f s)%n", out, seconds);
        return 0;
    }
}
