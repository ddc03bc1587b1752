package dev.shortrun.steps;

import dev.shortrun.model.learning.IterationStats;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.run.Checkpoint;
import dev.shortrun.model.run.MetricsLog;
import dev.shortrun.model.run.Restart;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.run.RunInUseException;
import dev.shortrun.model.run.RunLock;
import dev.shortrun.model.run.RunState;
import dev.shortrun.model.run.Trainer;
import dev.shortrun.model.torch.Devices;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.steps.record.CheckpointModel;
import dev.shortrun.steps.record.Lineage;
import dev.shortrun.steps.record.PictureKeys;
import dev.shortrun.steps.record.TrackedParams;
import dev.shortrun.steps.record.TrainingCurves;
import dev.shortrun.steps.record.TrainingData;
import dev.shortrun.steps.tracking.RunHandle;
import dev.shortrun.steps.tracking.Tracker;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The {@code train} step: one element = one resolved run in, its checkpoints out. A re-executed element (a
 * restarted worker) resumes from the run's own newest checkpoint, so a run is never trained twice and never loses
 * finished iterations. The run is RUNNING from here until its checkpoint steps are done ({@link RunLifecycle}); a
 * run whose training fails ends FAILED (a stopped one KILLED) without failing the pipeline's other runs.
 */
public final class TrainStep extends PTransform<PCollection<RunSpec>, PCollection<CheckpointRef>> {
    /** Tag: how many automatic restarts a diverged run made; {@code shortrun.restarts.N} describes restart N. */
    public static final String RESTARTS = "shortrun.restarts";
    /** Metric: the restart count, logged at the iteration that diverged. */
    public static final String RESTARTS_METRIC = "restarts";
    /** Tag: the device the run trained on and the libtorch that ran it, e.g. "cpu, libtorch 2.7.1 (bundled CPU build, ...)". */
    public static final String DEVICE_TAG = "shortrun.device";
    private static final Logger LOG = LoggerFactory.getLogger(TrainStep.class);
    private final String parentRunId;

    /** @param parentRunId the sweep's parent run in the tracker, or null for a single run */
    public TrainStep(String parentRunId) {
        this.parentRunId = parentRunId;
    }

    @Override
    public PCollection<CheckpointRef> expand(PCollection<RunSpec> specs) {
        return specs.apply("Train", ParDo.of(new TrainFn(parentRunId)));
    }

    static final class TrainFn extends DoFn<RunSpec, CheckpointRef> {
        private final String parentRunId;

        TrainFn(String parentRunId) {
            this.parentRunId = parentRunId;
        }

        @ProcessElement
        public void process(@Element RunSpec spec, OutputReceiver<CheckpointRef> out) {
            String specJson = spec.toJson();
            Torch.configure(spec.resources().threadsPerWorker());
            Path runDir = Path.of(spec.outputDir());
            RunDirectory files = new RunDirectory(runDir);
            // taken before anything is written, tracked or marked RUNNING: a second process on the same run stops
            // here, naming the first, instead of training the same folder and logging every point twice
            RunLock lock;
            try {
                lock = files.lockForTraining();
            } catch (RunInUseException e) {
                throw new IllegalStateException("run " + spec.runName() + ": " + e.getMessage(), e);
            }
            RunLifecycle life = RunLifecycle.of(spec);
            // A run that finished before is reused as it is (the command moved results of other code aside): its
            // record only gets what a new destination lacks. Any other run continues from its newest checkpoint.
            boolean complete = files.newestCheckpoint()
                    .map(json -> Checkpoint.read(json).iteration() >= spec.train().iterations()).orElse(false);
            RunState state = life.begin("training", complete).after();
            boolean reused = RunState.FINISHED.equals(state.status());
            if (!reused && !RunState.RUNNING.equals(state.status())) {
                lock.close();
                return; // this process is being stopped
            }
            try (lock;
                 Tracker tracker = life.tracker();
                 // a re-executed element (restarted worker, or the pipeline run again after a kill) continues its
                 // run's record instead of starting a second one; with no checkpoint yet, training starts over
                 RunHandle run = life.open(tracker, tags(spec, state), parentRunId,
                         reused ? Tracker.Start.ADD : Tracker.Start.CONTINUE)) {
                run.skipStepsAlreadyRecorded(); // a resumed training recomputes what the killed attempt logged
                Path specFile = files.writeSpec(specJson);
                // Where the user looks for this run (MLflow page or local folder), read back by the CLI's summary.
                files.writeTrackingUrl(run.url());
                run.logParams(TrackedParams.of(spec));
                run.logArtifact(specFile, "");
                Uploads uploads = new Uploads(run, runDir);
                TrainingCurves curves = TrainingCurves.of(spec.train());
                RunProgress progress = new RunProgress(life, spec.runName(), "training", "it",
                        spec.train().iterations(), true);
                Trainer.Listener listener = new Trainer.Listener() {
                    @Override
                    public void onStart(TrainConfig config, long completed) {
                        // What a killed attempt computed but never got into the record (its metrics were still
                        // buffered) is in the run's own metrics.csv up to the checkpoint; the rest is recomputed.
                        if (completed > 0) {
                            MetricsLog.replay(files.metricsCsv(), completed,
                                    s -> run.logMetrics(s.iteration(), curves.of(s)));
                        }
                        if (!reused) {
                            progress.update(completed, () -> "");
                        }
                    }

                    @Override
                    public void onIteration(IterationStats s) {
                        run.logMetrics(s.iteration(), curves.of(s));
                        progress.update(s.iteration(), () -> String.format("f(x+)-f(x-)=%+.3e |grad f|=%.3g",
                                s.difference(), s.gradNorm()));
                    }

                    @Override
                    public void onCheckpoint(Path json) {
                        uploads.newPictures(RunDirectory.SAMPLES);
                        uploads.dataset(json);
                    }

                    @Override
                    public void onRestart(Restart r) {
                        LOG.warn("[{}] {} ({})", spec.runName(), r.describe(), r.cause());
                        run.setTag(RESTARTS, Integer.toString(r.number()));
                        run.setTag(RESTARTS + "." + r.number(), r.describe() + " (" + r.cause() + ")");
                        run.logMetrics(r.divergedAt(), Map.of(RESTARTS_METRIC, (double) r.number()));
                    }
                };
                // the run's tensors on its device (a GPU asked for and not seen fails the run, naming the fix)
                try (Devices.Scope device = Devices.use(spec.resources().device())) {
                    if (!reused) {
                        run.setTag(DEVICE_TAG, device + ", " + Devices.libtorch());
                    }
                    train(spec.train(), runDir, listener);
                } catch (RuntimeException e) {
                    // named, since a sweep trains many runs; the command reports it from the run's state
                    String why = life.endAfter(e, run, "run " + spec.runName());
                    LOG.debug(why, e);
                    return;
                }
                uploads.newPictures(RunDirectory.SAMPLES);
                uploads.file(files.trainingPng(), "");
                uploads.file(files.diagnosticsPng(), "");
                uploads.file(files.metricsCsv(), "");
                Path last = files.newestCheckpoint().orElseThrow();
                for (String name : List.of(last.getFileName().toString(), weightsOf(last), optimOf(last))) {
                    uploads.file(last.resolveSibling(name), "checkpoint");
                }
                uploads.dataset(last);
                run.logModel(CheckpointModel.of(spec, last, Instant.now()));
                List<Path> checkpoints = files.checkpointJsons();
                List<String> items = new ArrayList<>();
                for (String step : spec.steps()) {
                    for (Path json : checkpoints) {
                        items.add(RunLifecycle.item(step, Checkpoint.read(json).iteration()));
                    }
                }
                if (reused) {
                    run.finish(RunHandle.FINISHED, state.endedMs()); // a new destination gets the run as it ended
                } else if (items.isEmpty() && life.end(RunState.FINISHED, null)) {
                    run.finish(RunHandle.FINISHED, life.endedMs());
                }
                // before the checkpoints go out: a step chained to this one may take its item off the list at once
                life.expect(items, "checkpoint steps");
                for (Path json : checkpoints) {
                    long iteration = Checkpoint.read(json).iteration();
                    out.output(new CheckpointRef(json.toString(), iteration, json.equals(last), run.id(), spec));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("run " + spec.runName() + ": " + e.getMessage(), e);
            }
        }

        /**
         * Starts, resumes after a restart, or (when already complete) trains nothing; a complete run still reports
         * its start, so that its record gets the points it lacks (a new tracking destination, or a kill's losses).
         */
        private static void train(TrainConfig config, Path runDir, Trainer.Listener listener) {
            var latest = new RunDirectory(runDir).newestCheckpoint();
            if (latest.isEmpty()) {
                Trainer.start(config, runDir, listener);
                return;
            }
            long completed = Checkpoint.read(latest.get()).iteration();
            if (completed < config.iterations()) {
                Trainer.resume(runDir, config.iterations(), listener);
            } else {
                listener.onStart(config, completed);
            }
        }

        private Map<String, String> tags(RunSpec spec, RunState state) {
            Map<String, String> tags = new LinkedHashMap<>(Lineage.of(spec));
            tags.put("shortrun.spec_hash", spec.specHash());
            tags.put("shortrun.pipeline", spec.pipeline());
            tags.put("trigger", spec.tracking().trigger());
            tags.put("shortrun.git_commit", state.code());
            tags.put(Tracker.RUN_KEY_TAG, state.runKey());
            spec.sweepPoint().forEach((k, v) -> tags.put("sweep." + k, v));
            return tags;
        }
    }

    /**
     * Local tracking records (params.json, tags.json, tracked metrics, artifact copies) sit beside the run
     * directories in {@code <output>/<pipeline>/tracking/<run>}, so they never collide with the trainer's own files.
     */
    static Path localTracking(RunSpec spec) {
        return Path.of(spec.outputDir()).getParent().resolve("tracking");
    }

    static String weightsOf(Path json) {
        return Checkpoint.read(json).weights();
    }

    static String optimOf(Path json) {
        return Checkpoint.read(json).optimizerState();
    }

    /** Uploads each picture once, as it appears (the training's sample grids also as an image series). */
    static final class Uploads {
        private final RunHandle run;
        private final Path runDir;
        private final Set<Path> done = new HashSet<>();
        private boolean datasetLogged;

        Uploads(RunHandle run, Path runDir) {
            this.run = run;
            this.runDir = runDir;
        }

        void newPictures(String dir) {
            Path folder = runDir.resolve(dir);
            if (!Files.isDirectory(folder)) {
                return;
            }
            try (Stream<Path> files = Files.list(folder)) {
                files.filter(p -> p.toString().endsWith(".png")).sorted().forEach(p -> {
                    if (file(p, dir) && p.getFileName().toString().matches("iter-\\d+\\.png")) {
                        run.logImage(p, PictureKeys.of(dir, p), PictureKeys.iteration(p).orElseThrow());
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Records the data set once, as the first checkpoint (of this attempt) fingerprints it. */
        void dataset(Path checkpointJson) {
            if (!datasetLogged) {
                datasetLogged = true;
                run.logDataset(TrainingData.of(checkpointJson));
            }
        }

        /** Uploads the file unless it is missing or was uploaded; true when it uploads it now. */
        boolean file(Path file, String artifactDir) {
            if (Files.isRegularFile(file) && done.add(file)) {
                run.logArtifact(file, artifactDir);
                return true;
            }
            return false;
        }
    }
}
