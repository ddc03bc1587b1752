package dev.shortrun.steps;

import dev.shortrun.model.torch.Torch;
import dev.shortrun.steps.tracking.RunHandle;
import dev.shortrun.steps.tracking.Tracker;
import dev.shortrun.steps.tracking.Trackers;
import org.apache.beam.sdk.transforms.DoFn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A step on a run's checkpoints: CheckpointRef JSON in, StepResult JSON out. It computes its outcome, logs it to the
 * run (metrics at the checkpoint's iteration, tags, artifacts under the step's artifact folder) and records it in
 * {@link FinishedSteps}; on a pipeline run again it hands back the recorded outcome instead, logging it only if the
 * run now goes to another tracking destination.
 */
abstract class CheckpointStepFn extends DoFn<String, String> {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStepFn.class);
    private final String name;
    private final String artifactDir;

    CheckpointStepFn(String name, String artifactDir) {
        this.name = name;
        this.artifactDir = artifactDir;
    }

    /** Whether the step runs on this checkpoint (default: every checkpoint). */
    boolean appliesTo(CheckpointRef ref, RunSpec spec) {
        return true;
    }

    /**
     * What, besides the run's spec hash and the checkpoint, the step's outcome depends on (default: its own
     * {@code <step>.*} settings); a change makes it run again.
     */
    String stepSettings(RunSpec spec) {
        return FinishedSteps.ownSettings(name, spec);
    }

    /** The step's work on one checkpoint; PyTorch is configured for the run's threads before it is called. */
    abstract StepOutcome compute(CheckpointRef ref, RunSpec spec);

    @ProcessElement
    public void process(@Element String refJson, OutputReceiver<String> out) {
        CheckpointRef ref = CheckpointRef.fromJson(refJson);
        RunSpec spec = ref.spec();
        if (!appliesTo(ref, spec)) {
            return;
        }
        FinishedSteps finished = FinishedSteps.of(spec);
        String key = FinishedSteps.key(name, ref, spec, stepSettings(spec));
        Optional<FinishedSteps.Entry> done = finished.lookup(name, ref.iteration(), key);
        StepOutcome outcome;
        String code;
        List<String> loggedTo = new ArrayList<>();
        if (done.isPresent()) {
            outcome = done.get().outcome();
            code = done.get().code();
            loggedTo.addAll(done.get().loggedTo());
            List<String> missing = FinishedSteps.destinations(spec).stream().filter(d -> !loggedTo.contains(d))
                    .toList();
            LOG.info(String.format("[%s] %s iter %d: finished earlier, reusing %s%s%s", spec.runName(), name,
                    ref.iteration(), finished.file(name, ref.iteration()),
                    CodeVersion.current().equals(code) ? "" : " (computed by shortrun " + code + ", now "
                            + CodeVersion.current() + "; --recompute-steps runs it again)",
                    missing.isEmpty() ? "" : " (logging it to " + String.join(" and ", missing) + ")"));
            if (missing.isEmpty()) {
                out.output(result(spec, ref, outcome));
                return;
            }
            loggedTo.addAll(log(spec, ref, outcome, missing));
        } else {
            Torch.configure(spec.resources().threadsPerWorker());
            outcome = compute(ref, spec);
            code = CodeVersion.current();
            loggedTo.addAll(log(spec, ref, outcome, FinishedSteps.destinations(spec)));
        }
        finished.save(name, ref.iteration(), key, loggedTo, code, outcome);
        out.output(result(spec, ref, outcome));
    }

    private String result(RunSpec spec, CheckpointRef ref, StepOutcome outcome) {
        return new StepResult(spec.runName(), name, ref.iteration(), outcome.metrics(), outcome.pictures()).toJson();
    }

    /**
     * Logs the outcome to the run's record at {@code destinations} and returns those it reached: MLflow may stay
     * unreachable until the tracker gives up, and the next run of the pipeline then logs it there again.
     */
    private List<String> log(RunSpec spec, CheckpointRef ref, StepOutcome outcome, List<String> destinations) {
        boolean local = destinations.contains(FinishedSteps.LOCAL);
        boolean mlflow = destinations.stream().anyMatch(d -> !d.equals(FinishedSteps.LOCAL));
        Tracker tracker = Trackers.of(local ? TrainStep.localTracking(spec) : null,
                mlflow ? spec.tracking().mlflowUri() : null);
        try (tracker; RunHandle run = tracker.startRun(spec.tracking().experiment(), spec.runName(), Map.of(), null,
                true)) {
            outcome.tags().forEach(run::setTag);
            run.logMetrics(ref.iteration(), outcome.metrics());
            outcome.otherArtifacts().forEach(p -> run.logArtifact(Path.of(p), artifactDir));
            outcome.pictures().forEach(p -> run.logArtifact(Path.of(p), artifactDir));
        }
        // only MLflow can fail to deliver: the local record is written at once, or the step fails
        return tracker.delivered() ? destinations : local ? List.of(FinishedSteps.LOCAL) : List.of();
    }
}
