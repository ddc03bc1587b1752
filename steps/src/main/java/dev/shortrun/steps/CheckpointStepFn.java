package dev.shortrun.steps;

import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.run.RunLock;
import dev.shortrun.model.run.RunState;
import dev.shortrun.model.torch.Devices;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.steps.record.PictureKeys;
import dev.shortrun.steps.tracking.RunHandle;
import dev.shortrun.steps.tracking.Tracker;
import dev.shortrun.steps.tracking.Trackers;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A step's work on a run's checkpoints: a {@link CheckpointRef} in, a {@link StepResult} out. It computes its outcome
 * with the run's typed settings, logs it to the run (metrics at the checkpoint's iteration, tags, artifacts under the
 * step's artifact folder) and records it in {@link FinishedSteps}; on a pipeline run again it hands back the
 * recorded outcome instead, logging it only if the run now goes to another tracking destination. Each checkpoint
 * takes its item off the run's list of steps left ({@link RunLifecycle}); the last ends the run FINISHED, and a step
 * that fails ends it FAILED, leaving the pipeline's other runs alone.
 *
 * @param <S> the step's settings
 */
public abstract class CheckpointStepFn<S> extends DoFn<CheckpointRef, StepResult> {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStepFn.class);
    private final String name;
    private final Class<S> settingsType;
    private final String artifactDir;

    protected CheckpointStepFn(String name, Class<S> settingsType, String artifactDir) {
        this.name = name;
        this.settingsType = settingsType;
        this.artifactDir = artifactDir;
    }

    /** The step as a Beam transform over checkpoints. */
    public static PTransform<PCollection<CheckpointRef>, PCollection<StepResult>> transform(StepDefinition<?> step) {
        return new PTransform<>() {
            @Override
            public PCollection<StepResult> expand(PCollection<CheckpointRef> checkpoints) {
                return checkpoints.apply(step.name(), ParDo.of(step.newFn()));
            }
        };
    }

    /** Whether the step runs on this checkpoint (default: every checkpoint). */
    protected boolean appliesTo(CheckpointRef ref, S settings) {
        return true;
    }

    /**
     * The step's work on one checkpoint; PyTorch is configured for the run's threads, and the run's device is the
     * thread's ({@link Devices}), before it is called.
     */
    protected abstract StepOutcome compute(CheckpointRef ref, RunSpec spec, S settings);

    @ProcessElement
    public void process(@Element CheckpointRef ref, OutputReceiver<StepResult> out) {
        RunSpec spec = ref.spec();
        S settings = spec.stepSettings().get(name, settingsType);
        RunLifecycle life = RunLifecycle.of(spec);
        String item = RunLifecycle.item(name, ref.iteration());
        if (!appliesTo(ref, settings)) {
            endIfLast(life, item, spec);
            return;
        }
        // the step writes its results and records into the run folder: not while another process trains it
        try (RunLock lock = new RunDirectory(Path.of(spec.outputDir())).lockForStep(name)) {
            process(ref, spec, settings, life, item, out);
        }
    }

    private void process(CheckpointRef ref, RunSpec spec, S settings, RunLifecycle life, String item,
                         OutputReceiver<StepResult> out) {
        FinishedSteps finished = FinishedSteps.of(spec);
        // what, besides the spec hash and the checkpoint, the outcome depends on: the step's resolved settings
        String key = FinishedSteps.key(name, ref, spec, String.valueOf(settings));
        Optional<FinishedSteps.Entry> done = finished.lookup(name, ref.iteration(), key);
        if (done.isPresent()) {
            reuse(done.get(), ref, life, item, finished, key, out);
            return;
        }
        // the run is RUNNING while the step computes: again, for a run that had finished (new step settings)
        RunLifecycle.Change change = life.begin(name + " iter " + ref.iteration(), false);
        if (!change.after().status().equals(RunState.RUNNING)) {
            return; // this process is being stopped
        }
        List<String> destinations = FinishedSteps.destinations(spec);
        Tracker tracker = tracker(spec, destinations);
        StepOutcome outcome;
        try (tracker; RunHandle run = life.open(tracker, life.key(), null,
                change.reopened() ? Tracker.Start.CONTINUE : Tracker.Start.ADD)) {
            try {
                Torch.configure(spec.resources().threadsPerWorker());
                try (Devices.Scope device = Devices.use(spec.resources().device())) {
                    outcome = compute(ref, spec, settings);
                }
            } catch (RuntimeException e) {
                LOG.debug(life.endAfter(e, run, name + " iter " + ref.iteration()), e);
                return;
            }
            log(run, ref, outcome);
            if (life.complete(item)) {
                run.finish(RunHandle.FINISHED, life.endedMs());
            }
        }
        // only MLflow can fail to deliver: the local record is written at once, or the step fails
        finished.save(name, ref.iteration(), key, tracker.delivered() ? destinations : List.of(FinishedSteps.LOCAL),
                change.after().code(), outcome);
        out.output(result(spec, ref, outcome));
    }

    /**
     * A step finished earlier: its outcome is handed on, and logged only to the destinations that lack it (the
     * pipeline now has an MLflow server, or the server was away).
     */
    private void reuse(FinishedSteps.Entry done, CheckpointRef ref, RunLifecycle life, String item,
                       FinishedSteps finished, String key, OutputReceiver<StepResult> out) {
        RunSpec spec = ref.spec();
        StepOutcome outcome = done.outcome();
        List<String> loggedTo = new ArrayList<>(done.loggedTo());
        List<String> missing = FinishedSteps.destinations(spec).stream().filter(d -> !loggedTo.contains(d)).toList();
        String now = life.state().code();
        LOG.info("[{}] {} iter {}: finished earlier, reusing {}{}{}", spec.runName(), name, ref.iteration(),
                finished.file(name, ref.iteration()),
                now.equals(done.code()) ? "" : " (computed by shortrun " + done.code() + ", now " + now
                        + "; --recompute-steps runs it again)",
                missing.isEmpty() ? "" : " (logging it to " + String.join(" and ", missing) + ")");
        if (missing.isEmpty()) {
            endIfLast(life, item, spec);
        } else {
            Tracker tracker = tracker(spec, missing);
            try (tracker; RunHandle run = life.open(tracker, life.key(), null, Tracker.Start.ADD)) {
                log(run, ref, outcome);
                if (life.complete(item)) {
                    run.finish(RunHandle.FINISHED, life.endedMs());
                }
            }
            loggedTo.addAll(tracker.delivered() ? missing : missing.stream().filter(FinishedSteps.LOCAL::equals)
                    .toList());
            finished.save(name, ref.iteration(), key, loggedTo, done.code(), outcome);
        }
        out.output(result(spec, ref, outcome));
    }

    /** Takes the step's item off the run's list; the last one ends the run FINISHED, in its records too. */
    private static void endIfLast(RunLifecycle life, String item, RunSpec spec) {
        if (life.complete(item)) {
            try (Tracker tracker = life.tracker();
                 RunHandle run = life.open(tracker, life.key(), null, Tracker.Start.ADD)) {
                run.finish(RunHandle.FINISHED, life.endedMs());
            }
        }
    }

    /** Progress of the step's work on {@code ref} in the run's state, e.g. a long chain's steps. */
    protected RunProgress progress(CheckpointRef ref, String unit, long total) {
        return new RunProgress(RunLifecycle.of(ref.spec()), ref.spec().runName(), name + " iter " + ref.iteration(),
                unit, total, false);
    }

    private StepResult result(RunSpec spec, CheckpointRef ref, StepOutcome outcome) {
        return new StepResult(spec.runName(), name, ref.iteration(), outcome.metrics(), outcome.pictures());
    }

    /** A tracker of the run's records at {@code destinations} (see {@link FinishedSteps#destinations}). */
    private static Tracker tracker(RunSpec spec, List<String> destinations) {
        boolean local = destinations.contains(FinishedSteps.LOCAL);
        boolean mlflow = destinations.stream().anyMatch(d -> !d.equals(FinishedSteps.LOCAL));
        return Trackers.of(local ? TrainStep.localTracking(spec) : null, mlflow ? spec.tracking().mlflowUri() : null);
    }

    /** The outcome in the run's record: metrics at the checkpoint's iteration, tags, artifacts. */
    private void log(RunHandle run, CheckpointRef ref, StepOutcome outcome) {
        outcome.tags().forEach(run::setTag);
        run.logMetrics(ref.iteration(), outcome.metrics());
        outcome.otherArtifacts().forEach(p -> run.logArtifact(Path.of(p), artifactDir));
        outcome.pictures().forEach(p -> run.logArtifact(Path.of(p), artifactDir));
        outcome.pictures().forEach(p -> run.logImage(Path.of(p), PictureKeys.of(artifactDir, Path.of(p)),
                ref.iteration()));
    }
}
