package dev.shortrun.cli;

import dev.shortrun.config.SpecLoader;
import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.learning.IterationStats;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.run.Checkpoint;
import dev.shortrun.model.run.Restart;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.run.Trainer;
import dev.shortrun.model.torch.Devices;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.steps.settings.DatasetSettings;
import dev.shortrun.steps.settings.LearnerSettings;
import dev.shortrun.steps.settings.ResourceSettings;
import dev.shortrun.steps.settings.Setting;
import dev.shortrun.steps.settings.TrainingSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code shortrun train}: Algorithm 1 on one dataset. Defaults are the papers': the short-run seed code for images,
 * the Anatomy paper's non-convergent toy config for gmm/rings.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Learn an energy-based model with short-run Langevin MCMC (Algorithm 1).",
                "Writes OUT/metrics.csv, OUT/samples/iter-*.png, OUT/checkpoints/iter-* and OUT/training.png.",
                "Every flag sets the spec key it names, with the same defaults (the papers': the short-run seed "
                        + "code's for images, the Anatomy paper's non-convergent config for 2D toys) and checks as "
                        + "in a pipeline spec."})
final class TrainCommand implements Callable<Integer>, SettingFlags.Holder {
    /** Every training setting, then the threads and device: the flags of {@code train}. */
    private final SettingFlags flags = new SettingFlags(trainingFlags());

    @Option(names = "--out", description = "Run directory (default runs/<dataset>).")
    Path out;

    @Option(names = "--resume", description = "Continue the run in --out from its newest checkpoint with its stored "
            + "settings; only --iterations (the new total) and --threads may be given with it.")
    boolean resume;

    private static List<Setting<?>> trainingFlags() {
        List<Setting<?>> all = new ArrayList<>();
        TrainingSettings.SECTIONS.forEach(section -> all.addAll(section.settings()));
        all.add(ResourceSettings.THREADS_PER_WORKER);
        all.add(ResourceSettings.DEVICE);
        return all;
    }

    @Override
    public SettingFlags settingFlags() {
        return flags;
    }

    @Override
    public Integer call() {
        SpecLoader loader = new SpecLoader();
        if (resume) {
            if (out == null) {
                throw new IllegalArgumentException("--resume needs --out RUN, the run directory to continue");
            }
            refuseChangedSettings();
        } else if (!flags.given(DatasetSettings.NAME)) {
            throw new IllegalArgumentException("--dataset is required (" + String.join(", ", DatasetSettings.names())
                    + "); to resume, --resume --out RUN is enough");
        }
        TrainConfig config = resume ? trainedConfig(out) : loader.loadTraining(flags.values());
        Path runDir = out != null ? out : Path.of("runs", config.data().dataset());
        Torch.configure(loader.loadSetting(ResourceSettings.THREADS_PER_WORKER, config, flags.values()));
        String device = loader.loadSetting(ResourceSettings.DEVICE, config, flags.values());
        String precisionProblem = config.langevin().chainPrecision().problem(device);
        if (precisionProblem != null) {
            throw new IllegalArgumentException("--precision " + config.langevin().chainPrecision().settingName() + ": "
                    + precisionProblem);
        }
        Trainer.Listener progress = new ProgressListener();
        Thread notice = new Thread(() -> {
            AtomicFiles.deleteInFlight(); // a checkpoint cut short leaves no temp file
            System.err.println(interruptedNotice(runDir));
        }, "interrupted-notice");
        Runtime.getRuntime().addShutdownHook(notice);
        Trainer.Result result;
        String ranOn;
        try (Devices.Scope scope = Devices.use(device)) {
            ranOn = scope + ", " + Devices.libtorch();
            result = resume
                    ? Trainer.resume(runDir, iterations(loader, config), progress)
                    : Trainer.start(config, runDir, progress);
        } catch (UncheckedIOException e) {
            throw withResumeHint(e, runDir);
        } finally {
            forget(notice);
        }
        System.out.println("done: " + result.iterations() + " iterations in " + runDir.toAbsolutePath());
        RunDirectory files = new RunDirectory(runDir);
        System.out.println("  samples:    " + files.samplesDir());
        System.out.println("  curves:     " + files.trainingPng());
        System.out.println("  checkpoint: " + result.lastCheckpoint());
        System.out.println("  device:     " + ranOn);
        return 0;
    }

    /**
     * A resumed run keeps its stored settings (bit-identical continuation); a flag that would change one is refused
     * rather than silently ignored.
     */
    private void refuseChangedSettings() {
        List<String> refused = flags.givenFlags().stream().filter(f -> !f.equals("--iterations")
                && !f.equals("--threads")).distinct().toList();
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", refused) + (refused.size() == 1 ? " is" : " are")
                    + " not used with --resume: a resumed run keeps the settings stored in its checkpoint; only "
                    + "--iterations (the new total) and --threads may be given");
        }
    }

    /** The new total with --iterations, else 0 (the stored total). */
    private long iterations(SpecLoader loader, TrainConfig trained) {
        return flags.given(LearnerSettings.ITERATIONS)
                ? loader.loadSetting(LearnerSettings.ITERATIONS, trained, flags.values()) : 0;
    }

    /** The stored settings of the run to resume. */
    private static TrainConfig trainedConfig(Path runDir) {
        return new RunDirectory(runDir).newestCheckpoint().map(json -> Checkpoint.read(json).config())
                .orElseThrow(() -> new IllegalArgumentException("nothing to resume: no checkpoint in "
                        + new RunDirectory(runDir).checkpointsDir()));
    }

    /**
     * What Ctrl-C (or a kill) leaves behind: checkpoints are written atomically, so the newest one is whole and the
     * run continues from it bit for bit. Runs in a shutdown hook: it only reads the checkpoint folder.
     */
    static String interruptedNotice(Path runDir) {
        return new RunDirectory(runDir).newestCheckpoint()
                .map(json -> String.format("%ninterrupted: %s", howToContinue(json, runDir, "")))
                .orElse(String.format("%ninterrupted before the first checkpoint of %s: nothing to resume",
                        runDir.toAbsolutePath()));
    }

    /**
     * A failed write or read (disk full, permissions) loses nothing already checkpointed, and once its cause is fixed
     * the run continues from there bit for bit, so the error says how. Other failures keep their message alone: a
     * divergence would replay on resume, and bad settings are not fixed by resuming.
     */
    static RuntimeException withResumeHint(UncheckedIOException e, Path runDir) {
        try {
            return new RunDirectory(runDir).newestCheckpoint()
                    .<RuntimeException>map(json -> new IllegalStateException(String.format("%s%n%s",
                            ErrorLine.of(e), howToContinue(json, runDir, "once that is fixed, ")), e))
                    .orElse(e);
        } catch (UncheckedIOException unreadable) {
            return e; // the run folder itself cannot be listed: the original failure is the one to report
        }
    }

    private static String howToContinue(Path checkpoint, Path runDir, String condition) {
        return String.format("the newest checkpoint is %s; %scontinue with%n  ./shortrun train --resume --out %s",
                checkpoint.toAbsolutePath(), condition, runDir.toAbsolutePath());
    }

    /** Drops the interruption notice once training has ended (normally or by an error). */
    private static void forget(Thread notice) {
        try {
            Runtime.getRuntime().removeShutdownHook(notice);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting (Ctrl-C during the run): the notice is printing, as it should
        }
    }

    /** Draws the progress bar from the trainer's callbacks. */
    private static final class ProgressListener implements Trainer.Listener {
        private ProgressBar bar;

        @Override
        public void onStart(TrainConfig config, long completed) {
            bar = new ProgressBar(System.err, "train", completed, config.iterations());
            if (completed > 0) {
                System.err.println("resuming after iteration " + completed);
            }
        }

        @Override
        public void onRestart(Restart r) {
            System.err.printf("%n%s (%s)%n", r.describe(), r.cause());
        }

        @Override
        public void onIteration(IterationStats s) {
            bar.update(s.iteration(), String.format("f(x+)-f(x-)=%+.3e |grad f|=%.3g K=%d", s.difference(),
                    s.gradNorm(), s.steps()));
        }
    }
}
