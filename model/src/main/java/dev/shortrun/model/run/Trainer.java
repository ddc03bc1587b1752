package dev.shortrun.model.run;

import ai.djl.ndarray.NDManager;
import dev.shortrun.model.data.PositiveSource;
import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.learning.DivergenceException;
import dev.shortrun.model.learning.IterationStats;
import dev.shortrun.model.learning.Learner;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.nets.EnergyNet;
import dev.shortrun.model.sampling.LangevinSampler;
import dev.shortrun.model.util.Rng;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Runs a {@link TrainConfig} into a run directory: {@code metrics.csv}, {@code samples/iter-*.png},
 * {@code checkpoints/iter-*}, {@code training.png}, {@code diagnostics.png} (the Anatomy paper's Figure 4). Resuming
 * continues from the newest checkpoint so that N + N iterations equal 2N uninterrupted, bit for bit, on the same
 * machine and thread count.
 */
public final class Trainer {
    /** Progress callbacks; all optional. */
    public interface Listener {
        default void onStart(TrainConfig config, long completed) {
        }

        default void onIteration(IterationStats stats) {
        }

        default void onCheckpoint(Path json) {
        }
    }

    /** Where a finished run left its results. */
    public record Result(Path runDir, long iterations, Path lastCheckpoint, IterationStats lastStats) {
    }

    /** The d_s_t / r_t diagnostics picture in a run directory. */
    public static final String DIAGNOSTICS_PNG = "diagnostics.png";

    private Trainer() {
    }

    /** Starts a new run; refuses a directory that already holds one (use {@link #resume}). */
    public static Result start(TrainConfig config, Path runDir, Listener listener) {
        Optional<Path> existing = latestCheckpoint(runDir);
        if (existing.isPresent()) {
            throw new IllegalStateException(runDir + " already holds a run (" + existing.get().getFileName()
                    + "); resume it with --resume or choose another output directory");
        }
        return run(config, runDir, null, listener);
    }

    /**
     * Continues the run in {@code runDir} from its newest checkpoint, up to {@code iterations} in total
     * (0 keeps the stored total).
     */
    public static Result resume(Path runDir, long iterations, Listener listener) {
        Path json = latestCheckpoint(runDir).orElseThrow(() -> new IllegalStateException(
                "nothing to resume: no checkpoint in " + runDir.resolve("checkpoints")));
        Checkpoint checkpoint = Checkpoint.read(json);
        TrainConfig config = iterations > 0 ? checkpoint.config().withIterations(iterations) : checkpoint.config();
        return run(config, runDir, json, listener);
    }

    /**
     * What a user names as "a checkpoint": a checkpoint JSON, or a run directory (its newest checkpoint).
     *
     * @throws IllegalArgumentException naming the path when there is no such checkpoint
     */
    public static Path checkpointOf(Path runDirOrJson) {
        Path json = Files.isDirectory(runDirOrJson)
                ? latestCheckpoint(runDirOrJson).orElseThrow(() -> new IllegalArgumentException(
                        "no checkpoint in " + runDirOrJson.resolve("checkpoints")))
                : runDirOrJson;
        if (!Files.isRegularFile(json)) {
            throw new IllegalArgumentException("checkpoint not found: " + json);
        }
        return json;
    }

    /** The newest complete checkpoint (its JSON exists) in a run directory. */
    public static Optional<Path> latestCheckpoint(Path runDir) {
        Path dir = runDir.resolve("checkpoints");
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("iter-\\d+\\.json"))
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Result run(TrainConfig config, Path runDir, Path resumeFrom, Listener listener) {
        AtomicFiles.removeStale(runDir); // what writes killed with kill -9 left behind
        PositiveSource source = config.data().open();
        Path checkpoints = runDir.resolve("checkpoints");
        Checkpoint from = resumeFrom == null ? null : Checkpoint.read(resumeFrom);
        if (from != null && !from.dataFingerprint().equals(source.fingerprint())) {
            throw new IllegalStateException("cannot resume " + resumeFrom + ": it was trained on "
                    + from.dataFingerprint() + " but the data now reads as " + source.fingerprint());
        }
        Rng rng = new Rng(config.seed());
        try (NDManager manager = NDManager.newBaseManager();
             EnergyNet net = EnergyNet.create(config.net(), manager, rng);
             Learner learner = new Learner(net, new LangevinSampler(config.langevin()), config.learner(), source,
                     from == null ? rng : from.rng());
             MetricsLog metrics = MetricsLog.open(runDir.resolve("metrics.csv"), from == null ? 0 : from.iteration())) {
            if (from != null) {
                from.restore(resumeFrom, learner);
            }
            listener.onStart(config, learner.iteration());
            Path last = resumeFrom;
            IterationStats stats = null;
            while (learner.iteration() < config.iterations()) {
                try {
                    stats = learner.step();
                } catch (DivergenceException e) {
                    metrics.flush();
                    throw new DivergenceException(e.getMessage() + (last == null
                            ? " No checkpoint was written before it."
                            : " Last good checkpoint: " + last + " (it still samples; resuming it would diverge"
                            + " here again, as a run is deterministic: start a new run with other settings)."),
                            e.stats());
                }
                metrics.append(stats);
                listener.onIteration(stats);
                long done = learner.iteration();
                if (done == 1 || done % config.gridEvery() == 0 || done == config.iterations()) {
                    Pictures.samples(runDir.resolve("samples").resolve(Checkpoint.baseName(done) + ".png"),
                            learner.lastSamples(), config.data());
                }
                if (done % config.checkpointEvery() == 0 || done == config.iterations()) {
                    metrics.flush();
                    last = Checkpoint.write(checkpoints, config, learner, source.fingerprint());
                    listener.onCheckpoint(last);
                }
            }
            metrics.flush();
            Pictures.trainingCurves(metrics.file(), runDir.resolve("training.png"));
            TrainingDiagnostics.plot(metrics.file(), runDir.resolve(DIAGNOSTICS_PNG));
            return new Result(runDir, learner.iteration(), last, stats);
        }
    }
}
