package dev.shortrun.model.run;

import ai.djl.ndarray.NDManager;
import dev.shortrun.model.data.PositiveSource;
import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.learning.DivergenceException;
import dev.shortrun.model.learning.DivergencePolicy;
import dev.shortrun.model.learning.IterationStats;
import dev.shortrun.model.learning.Learner;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.nets.EnergyNet;
import dev.shortrun.model.sampling.Initializer;
import dev.shortrun.model.sampling.LangevinSampler;
import dev.shortrun.model.torch.Devices;
import dev.shortrun.model.util.Rng;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

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

        /** The run diverged and goes back to {@code restart.from()} to continue as its policy says. */
        default void onRestart(Restart restart) {
        }
    }

    /** Where a finished run left its results. */
    public record Result(Path runDir, long iterations, Path lastCheckpoint, IterationStats lastStats) {
    }

    private Trainer() {
    }

    /**
     * Starts a new run; refuses a directory that already holds one (use {@link #resume}) or that another process is
     * training ({@link RunInUseException}).
     */
    public static Result start(TrainConfig config, Path runDir, Listener listener) {
        RunDirectory dir = new RunDirectory(runDir);
        try (RunLock lock = dir.lockForTraining()) {
            Optional<Path> existing = dir.newestCheckpoint();
            if (existing.isPresent()) {
                throw new IllegalStateException(runDir + " already holds a run (" + existing.get().getFileName()
                        + "); resume it with --resume or choose another output directory");
            }
            return run(config, dir, null, null, listener);
        }
    }

    /**
     * Continues the run in {@code runDir} from its newest checkpoint, up to {@code iterations} in total
     * (0 keeps the stored total). Everything the continuation needs (the checkpoint's fields, its weights, optimiser
     * state and bank, the data) is read and checked before the run folder is changed: a damaged checkpoint fails
     * with metrics.csv and every checkpoint as they were.
     */
    public static Result resume(Path runDir, long iterations, Listener listener) {
        RunDirectory dir = new RunDirectory(runDir);
        try (RunLock lock = dir.lockForTraining()) {
            Path json = dir.newestCheckpoint().orElseThrow(() -> new IllegalStateException(
                    "nothing to resume: no checkpoint in " + dir.checkpointsDir()));
            Checkpoint checkpoint = Checkpoint.read(json);
            TrainConfig config = iterations > 0 ? checkpoint.config().withIterations(iterations)
                    : checkpoint.config();
            return run(config, dir, json, checkpoint, listener);
        }
    }

    /**
     * Trains segment after segment: a divergence under a {@link DivergencePolicy} with budget left goes back to the
     * newest checkpoint (the last good one: a diverged step never reaches the weights, and checkpoints are written
     * only by this run) or to the start, and continues with the policy's lr and seed.
     */
    private static Result run(TrainConfig config, RunDirectory dir, Path resumeFrom, Checkpoint from,
                              Listener listener) {
        PositiveSource source = config.data().open();
        if (from != null && !from.dataFingerprint().equals(source.fingerprint())) {
            throw new IllegalStateException("cannot resume " + resumeFrom + ": it was trained on "
                    + from.dataFingerprint() + " but the data now reads as " + source.fingerprint());
        }
        List<Restart> restarts = new ArrayList<>(from == null || from.restarts() == null ? List.of()
                : from.restarts());
        Segment segment = new Segment(config, resumeFrom, from, from == null ? new Rng(config.seed()) : from.rng());
        while (true) {
            try {
                return segment.train(dir, source, restarts, listener);
            } catch (DivergenceException e) {
                DivergencePolicy policy = segment.config.onDivergence();
                if (policy == null || restarts.size() >= policy.restarts()) {
                    throw stopped(e, dir, restarts.size());
                }
                segment = segment.restart(dir, policy, restarts.size() + 1, e,
                        restarts.isEmpty() ? null : restarts.get(restarts.size() - 1));
                restarts.add(segment.restart);
                listener.onRestart(segment.restart);
            }
        }
    }

    /** The divergence that ends the run, saying where its last good checkpoint is. */
    private static DivergenceException stopped(DivergenceException e, RunDirectory dir, int restarts) {
        Optional<Path> last = dir.newestCheckpoint();
        String spent = restarts == 0 ? "" : " It diverged after " + restarts + " automatic restart(s), all that "
                + "learner.restarts allows.";
        return new DivergenceException(e.getMessage() + spent + last.map(p -> " Last good checkpoint: " + p
                + " (it still samples; resuming it would diverge here again, as a run is deterministic: start a new "
                + "run with other settings).").orElse(" No checkpoint was written before it."), e.stats());
    }

    /**
     * One stretch of training from a starting point: a checkpoint (or none) and the random stream to continue
     * with; {@code restart} says why it started, for a segment after a divergence.
     */
    private record Segment(TrainConfig config, Path resumeFrom, Checkpoint from, Rng rng, Restart restart) {
        Segment(TrainConfig config, Path resumeFrom, Checkpoint from, Rng rng) {
            this(config, resumeFrom, from, rng, null);
        }

        /**
         * The segment after divergence {@code e}: back to the newest checkpoint with the policy's lr and seed. When
         * the run diverged again before passing a new checkpoint (that checkpoint's weights are too close to the
         * edge), it goes one checkpoint further back, or to the start; a persistent bank is kept only by the newest
         * checkpoint, so such runs start over instead. Checkpoints of the abandoned stretch are moved aside.
         */
        Segment restart(RunDirectory dir, DivergencePolicy policy, int number, DivergenceException e,
                        Restart previous) {
            List<Path> all = dir.checkpointJsons();
            long bound = previous != null && (all.isEmpty() || iterationOf(all.get(all.size() - 1)) <= previous.from())
                    ? previous.from() : Long.MAX_VALUE;
            List<Path> before = all.stream().filter(p -> iterationOf(p) < bound).toList();
            Path back = before.isEmpty() ? null : before.get(before.size() - 1);
            if (back != null && !back.equals(all.get(all.size() - 1))
                    && config.learner().init().kind() == Initializer.Kind.PERSISTENT) {
                back = null;
            }
            Checkpoint good = back == null ? null : Checkpoint.read(back);
            long from = good == null ? 0 : good.iteration();
            moveAside(dir, all, from, number);
            TrainConfig next = config.withLrTimes(policy.lrFactor());
            Long seed = policy.newSeed() ? DivergencePolicy.seed(config.seed(), number) : null;
            Rng rng = seed != null ? new Rng(seed) : good != null ? good.rng() : new Rng(config.seed());
            Restart r = new Restart(number, e.stats().iteration(), from, e.getMessage(), next.learner().lr().at(from),
                    seed);
            return new Segment(next, back, good, rng, r);
        }

        private static long iterationOf(Path json) {
            return Long.parseLong(json.getFileName().toString().replaceAll("\\D", ""));
        }

        /** Moves the checkpoints after {@code from} (a history the restart abandons) to checkpoints/restart-N/. */
        private static void moveAside(RunDirectory dir, List<Path> all, long from, int number) {
            Path aside = dir.checkpointsDir().resolve("restart-" + number);
            try {
                for (Path json : all.stream().filter(p -> iterationOf(p) > from).toList()) {
                    Files.createDirectories(aside);
                    String base = RunDirectory.iterName(iterationOf(json));
                    Files.move(json, aside.resolve(json.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                    try (Stream<Path> files = Files.list(dir.checkpointsDir())) {
                        for (Path f : files.filter(p -> p.getFileName().toString().startsWith(base + ".")).toList()) {
                            Files.move(f, aside.resolve(f.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                        }
                    }
                }
            } catch (IOException io) {
                throw new UncheckedIOException("cannot move abandoned checkpoints to " + aside + ": "
                        + io.getMessage(), io);
            }
        }

        Result train(RunDirectory dir, PositiveSource source, List<Restart> restarts, Listener listener) {
            // a fresh start initialises the weights from the stream it then samples with, as the seed code does
            try (NDManager manager = Devices.newManager();
                 EnergyNet net = EnergyNet.create(config.net(), manager, from == null ? rng : new Rng(config.seed()));
                 Learner learner = new Learner(net, new LangevinSampler(config.langevin()), config.learner(), source,
                         rng)) {
                if (from != null) {
                    from.restore(resumeFrom, learner); // reads and checks every file before anything is changed
                }
                AtomicFiles.removeStale(dir.root()); // what writes killed with kill -9 left behind
                try (MetricsLog metrics = MetricsLog.open(dir.metricsCsv(), learner.iteration())) {
                    if (restart == null) { // a restart continues the run the listener already follows
                        listener.onStart(config, learner.iteration());
                    }
                    return iterate(config, dir, source, learner, metrics, resumeFrom, restarts, listener);
                }
            }
        }
    }

    private static Result iterate(TrainConfig config, RunDirectory dir, PositiveSource source, Learner learner,
                                  MetricsLog metrics, Path resumeFrom, List<Restart> restarts, Listener listener) {
        Path last = resumeFrom;
        IterationStats stats = null;
        while (learner.iteration() < config.iterations()) {
            try {
                stats = learner.step();
            } catch (DivergenceException e) {
                metrics.flush();
                throw e;
            }
            metrics.append(stats);
            listener.onIteration(stats);
            long done = learner.iteration();
            if (done == 1 || done % config.gridEvery() == 0 || done == config.iterations()) {
                Pictures.samples(dir.samplePicture(done), learner.lastSamples(), config.data());
            }
            if (done % config.checkpointEvery() == 0 || done == config.iterations()) {
                metrics.flush();
                last = Checkpoint.write(dir.checkpointsDir(), config, learner, source.fingerprint(), restarts);
                listener.onCheckpoint(last);
            }
        }
        metrics.flush();
        Pictures.trainingCurves(metrics.file(), dir.trainingPng());
        TrainingDiagnostics.plot(metrics.file(), dir.diagnosticsPng());
        return new Result(dir.root(), learner.iteration(), last, stats);
    }
}
