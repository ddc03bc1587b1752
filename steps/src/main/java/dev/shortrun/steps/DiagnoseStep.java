package dev.shortrun.steps;

import dev.shortrun.model.longrun.CheckpointDiagnosis;
import dev.shortrun.model.longrun.LongRunReport;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.steps.tracking.RunHandle;
import dev.shortrun.steps.tracking.Tracker;
import dev.shortrun.steps.tracking.Trackers;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code diagnose} step: long chains on the run's last checkpoint (or every one, {@code diagnose.checkpoints:
 * all}) and the convergent / non-convergent verdict of the Anatomy paper. The verdict becomes the tag
 * {@code longrun_verdict} (with {@code longrun_verdict_reasons}), the numbers behind it metrics at the checkpoint's
 * iteration, the snapshot and energy pictures artifacts under {@code diagnose/}; the files also stay in
 * {@code <run>/diagnose/}.
 */
public final class DiagnoseStep extends PTransform<PCollection<String>, PCollection<String>> {
    public static final String NAME = "diagnose";
    public static final String VERDICT_TAG = "longrun_verdict";

    @Override
    public PCollection<String> expand(PCollection<String> checkpoints) {
        return checkpoints.apply("Diagnose", ParDo.of(new DiagnoseFn()));
    }

    static final class DiagnoseFn extends DoFn<String, String> {
        @ProcessElement
        public void process(@Element String refJson, OutputReceiver<String> out) {
            CheckpointRef ref = CheckpointRef.fromJson(refJson);
            RunSpec spec = ref.spec();
            if (!ref.last() && !spec.diagnose().everyCheckpoint()) {
                return;
            }
            Torch.configure(spec.resources().threadsPerWorker());
            int steps = spec.diagnose().longRun().steps();
            TenthsProgress progress = new TenthsProgress(spec.runName() + " diagnose iter " + ref.iteration(),
                    "steps", steps);
            CheckpointDiagnosis.Outcome outcome = CheckpointDiagnosis.run(Path.of(ref.checkpointJson()),
                    spec.diagnose().longRun(), Path.of(spec.outputDir()).resolve("diagnose"),
                    (step, total) -> progress.update(step, () -> ""));
            LongRunReport report = outcome.report();
            System.err.printf("[%s] diagnose iter %d: %s (%s)%n", spec.runName(), ref.iteration(),
                    report.verdict().label(), String.join("; ", report.verdict().reasons()));
            try (Tracker tracker = Trackers.fromUri(spec.tracking().mlflowUri(), TrainStep.localTracking(spec));
                 RunHandle run = tracker.startRun(spec.tracking().experiment(), spec.runName(), Map.of(), null,
                         true)) {
                run.setTag(VERDICT_TAG, report.verdict().label());
                run.setTag(VERDICT_TAG + "_reasons", String.join("; ", report.verdict().reasons()));
                run.logMetrics(ref.iteration(), report.metrics());
                run.logArtifact(outcome.reportJson(), NAME);
                outcome.pictures().forEach(p -> run.logArtifact(p, NAME));
            }
            out.output(new StepResult(spec.runName(), NAME, ref.iteration(), report.metrics(),
                    outcome.pictures().stream().map(Path::toString).toList()).toJson());
        }
    }
}
