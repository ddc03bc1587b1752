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

import java.nio.file.Path;
import java.util.Optional;

/**
 * Runs a {@link TrainConfig} into a {@link RunDirectory}: {@code metrics.csv}, {@code samples/iter-*.png},
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

    private Trainer() {
    }

    /** Starts a new run; refuses a directory that already holds one (use {@link #resume}). */
    public static Result start(TrainConfig config, Path runDir, Listener listener) {
        Optional<Path> existing = new RunDirectory(runDir).newestCheckpoint();
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
        RunDirectory dir = new RunDirectory(runDir);
        Path json = dir.newestCheckpoint().orElseThrow(() -> new IllegalStateException(
                "nothing to resume: no checkpoint in " + dir.checkpointsDir()));
        Checkpoint checkpoint = Checkpoint.read(json);
        TrainConfig config = iterations > 0 ? checkpoint.config().withIterations(iterations) : checkpoint.config();
        return run(config, runDir, json, listener);
    }

    private static Result run(TrainConfig config, Path runDir, Path resumeFrom, Listener listener) {
        AtomicFiles.removeStale(runDir); // what writes killed with kill -9 left behind
        PositiveSource source = config.data().open();
        RunDirectory dir = new RunDirectory(runDir);
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
             MetricsLog metrics = MetricsLog.open(dir.metricsCsv(), from == null ? 0 : from.iteration())) {
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
                    Pictures.samples(dir.samplePicture(done), learner.lastSamples(), config.data());
                }
                if (done % config.checkpointEvery() == 0 || done == config.iterations()) {
                    metrics.flush();
                    last = Checkpoint.write(dir.checkpointsDir(), config, learner, source.fingerprint());
                    listener.onCheckpoint(last);
                }
            }
            metrics.flush();
            Pictures.trainingCurves(metrics.file(), dir.trainingPng());
            TrainingDiagnostics.plot(metrics.file(), dir.diagnosticsPng());
            return new Result(runDir, learner.iteration(), last, stats);
        }
    }
}
