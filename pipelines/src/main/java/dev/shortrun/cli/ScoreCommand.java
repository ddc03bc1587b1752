package dev.shortrun.cli;

import com.google.gson.GsonBuilder;
import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.metrics.LeNet;
import dev.shortrun.model.run.Checkpoint;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.scoring.CheckpointScorer;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.steps.ScoreStep;
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
final class ScoreCommand implements Callable<Integer>, SettingFlags.Holder {
    @Mixin
    CheckpointOptions trained;

    private final SettingFlags flags = new SettingFlags(ScoreStep.SECTION.settings());

    @Option(names = "--stats-dir", paramLabel = "DIR",
            description = "Cache of reference statistics (default ~/.cache/shortrun/feature-stats).")
    Path statsDir;

    @Override
    public SettingFlags settingFlags() {
        return flags;
    }

    @Override
    public Integer call() throws IOException {
        Path json = trained.json();
        Checkpoint c = Checkpoint.read(json);
        CheckpointScorer.Settings settings = trained.stepSettings(ScoreStep.STEP, flags).scorer(
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
