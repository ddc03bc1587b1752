package dev.shortrun.steps;

import dev.shortrun.model.learning.IterationMetrics;
import dev.shortrun.model.learning.IterationStats;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.run.Checkpoint;
import dev.shortrun.model.run.MetricsLog;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.run.Trainer;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.steps.tracking.RunHandle;
import dev.shortrun.steps.tracking.Tracker;
import dev.shortrun.steps.tracking.Trackers;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * finished iterations.
 */
public final class TrainStep extends PTransform<PCollection<RunSpec>, PCollection<CheckpointRef>> {
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
            try (Tracker tracker = Trackers.fromUri(spec.tracking().mlflowUri(), localTracking(spec));
                 // a re-executed element (restarted worker, or the pipeline run again after a kill) continues its
                 // run's record instead of starting a second one; with no checkpoint yet, training starts over
                 RunHandle run = tracker.startRun(spec.tracking().experiment(), spec.runName(), tags(spec),
                         parentRunId, attempted(spec))) {
                run.skipStepsAlreadyRecorded(); // a resumed training recomputes what the killed attempt logged
                Path specFile = files.writeSpec(specJson);
                // Where the user looks for this run (MLflow page or local folder), read back by the CLI's summary.
                files.writeTrackingUrl(run.url());
                run.logParams(spec.params());
                run.logArtifact(specFile, "");
                Uploads uploads = new Uploads(run, runDir);
                List<Path> checkpoints = new ArrayList<>();
                TenthsProgress progress = new TenthsProgress(spec.runName(), "it", spec.train().iterations());
                Trainer.Listener listener = new Trainer.Listener() {
                    @Override
                    public void onStart(TrainConfig config, long completed) {
                        // What a killed attempt computed but never got into the record (its metrics were still
                        // buffered) is in the run's own metrics.csv up to the checkpoint; the rest is recomputed.
                        if (completed > 0) {
                            MetricsLog.replay(files.metricsCsv(), completed,
                                    s -> run.logMetrics(s.iteration(), IterationMetrics.tracked(s)));
                        }
                    }

                    @Override
                    public void onIteration(IterationStats s) {
                        run.logMetrics(s.iteration(), IterationMetrics.tracked(s));
                        progress.update(s.iteration(), () -> String.format("f(x+)-f(x-)=%+.3e |grad f|=%.3g",
                                s.difference(), s.gradNorm()));
                    }

                    @Override
                    public void onCheckpoint(Path json) {
                        checkpoints.add(json);
                        uploads.newPictures(RunDirectory.SAMPLES);
                    }
                };
                try {
                    train(spec.train(), runDir, listener);
                } catch (RuntimeException e) {
                    run.setTag("error", String.valueOf(e.getMessage()));
                    run.finish("FAILED");
                    // named, since a sweep trains many runs and the runner's report drops its own context
                    throw new IllegalStateException("run " + spec.runName() + ": " + e.getMessage(), e);
                }
                uploads.newPictures(RunDirectory.SAMPLES);
                uploads.file(files.trainingPng(), "");
                uploads.file(files.diagnosticsPng(), "");
                uploads.file(files.metricsCsv(), "");
                Path last = files.newestCheckpoint().orElseThrow();
                for (String name : List.of(last.getFileName().toString(), weightsOf(last), optimOf(last))) {
                    uploads.file(last.resolveSibling(name), "checkpoint");
                }
                for (Path json : files.checkpointJsons()) {
                    long iteration = Checkpoint.read(json).iteration();
                    out.output(new CheckpointRef(json.toString(), iteration, json.equals(last), run.id(), spec));
                }
                run.finish("FINISHED");
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

        private Map<String, String> tags(RunSpec spec) {
            Map<String, String> tags = new LinkedHashMap<>();
            tags.put("mlflow.runName", spec.runName());
            tags.put("shortrun.spec_hash", spec.specHash());
            tags.put("shortrun.pipeline", spec.pipeline());
            tags.put("trigger", spec.tracking().trigger());
            tags.put("shortrun.git_commit", CodeVersion.current());
            spec.sweepPoint().forEach((k, v) -> tags.put("sweep." + k, v));
            return tags;
        }
    }

    /** Whether an earlier attempt of this run left its directory or its local tracking record. */
    static boolean attempted(RunSpec spec) {
        return Files.isDirectory(Path.of(spec.outputDir()))
                || Files.isDirectory(localTracking(spec).resolve(spec.runName()));
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

    /** Uploads each picture once, as it appears. */
    static final class Uploads {
        private final RunHandle run;
        private final Path runDir;
        private final Set<Path> done = new HashSet<>();

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
                files.filter(p -> p.toString().endsWith(".png")).sorted().forEach(p -> file(p, dir));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void file(Path file, String artifactDir) {
            if (Files.isRegularFile(file) && done.add(file)) {
                run.logArtifact(file, artifactDir);
            }
        }
    }
}
