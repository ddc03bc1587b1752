package dev.shortrun.model.longrun;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.metrics.ToyDensityMaps;
import dev.shortrun.model.run.Checkpoint;
import dev.shortrun.model.run.CheckpointSampler;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.sampling.Temperature;
import dev.shortrun.model.torch.Devices;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.util.Rng;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The long-run diagnosis of a saved checkpoint: chains from the run's p0 and from its training data at the
 * training temperature, the verdict, and the files {@code longrun-iter-N.json} (the report),
 * {@code longrun-iter-N.png} (snapshots) and {@code longrun-energy-iter-N.png} (energy vs step) in {@code outDir}.
 */
public final class CheckpointDiagnosis {
    /** Image chains per group shown in the snapshot figure (2D toys show every chain). */
    public static final int SHOWN_CHAINS = 8;
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues()
            .create();

    private CheckpointDiagnosis() {
    }

    /** What a diagnosis produced. */
    public record Outcome(LongRunReport report, Path reportJson, List<Path> pictures) {
    }

    /** Default chain length for this checkpoint's data: images 100,000, toys 10,000. */
    public static int defaultSteps(Path checkpointJson) {
        return Checkpoint.read(checkpointJson).config().data().isToy() ? LongRunSettings.TOY_STEPS
                : LongRunSettings.IMAGE_STEPS;
    }

    public static Outcome run(Path checkpointJson, LongRunSettings settings, Path outDir,
                              LongRunDiagnostic.Progress progress) {
        try (NDManager manager = Devices.newManager();
             CheckpointSampler sampler = new CheckpointSampler(checkpointJson, manager)) {
            TrainConfig config = sampler.config();
            Rng rng = new Rng(settings.seed());
            RandomTensors random = new RandomTensors(rng);
            int chains = settings.chains();
            NDArray data = config.data().open().batch(manager,
                    Math.max(LongRunDiagnostic.DATA_BAND_SIZE, chains), rng);
            NDArray noiseStart = settings.starts().noise() ? sampler.drawStart(chains, random) : null;
            NDArray dataStart = settings.starts().data() ? data.get("0:" + chains) : null;
            LongRunDiagnostic diagnostic = new LongRunDiagnostic(sampler.net(),
                    Temperature.ofTraining(config.langevin()), config.langevin());
            Checkpoint c = sampler.checkpoint();
            LongRunDiagnostic.Result result = diagnostic.run(noiseStart, dataStart, data, settings, random,
                    config.data().isToy() ? chains : SHOWN_CHAINS, // points are cheap to show; images are not
                    progress, checkpointJson.toString(), c.iteration());
            if (config.data().isToy()) {
                double kl = ToyDensityMaps.klTrueLearned(config.data().dataset(), sampler.net(),
                        config.learner().energyScale(config.langevin()), manager);
                LongRunReport judged = result.report().withVerdict(result.report().verdict().withStationaryKl(kl));
                result = new LongRunDiagnostic.Result(judged, result.recordedSteps(), result.noiseSnapshots(),
                        result.dataSnapshots());
            }
            String base = RunDirectory.iterName(c.iteration());
            Path json = outDir.resolve("longrun-" + base + ".json");
            Path snapshots = outDir.resolve("longrun-" + base + ".png");
            Path energy = outDir.resolve("longrun-energy-" + base + ".png");
            LongRunFigures.snapshots(snapshots, result, config.data());
            LongRunFigures.energy(energy, result.report());
            try {
                AtomicFiles.writeString(json, GSON.toJson(result.report()) + "\n");
            } catch (IOException e) {
                throw AtomicFiles.unchecked(e);
            }
            return new Outcome(result.report(), json, List.of(snapshots, energy));
        }
    }
}
