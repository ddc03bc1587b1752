package dev.shortrun.steps;

import dev.shortrun.model.longrun.CheckpointDiagnosis;
import dev.shortrun.model.longrun.LongRunReport;
import dev.shortrun.model.run.RunDirectory;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;

import java.nio.file.Path;
import java.util.List;
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

    static final class DiagnoseFn extends CheckpointStepFn {
        DiagnoseFn() {
            super(NAME, RunDirectory.DIAGNOSE);
        }

        @Override
        boolean appliesTo(CheckpointRef ref, RunSpec spec) {
            return ref.last() || spec.diagnose().everyCheckpoint();
        }

        @Override
        String stepSettings(RunSpec spec) {
            return super.stepSettings(spec) + spec.diagnose(); // the resolved settings, defaults included
        }

        @Override
        StepOutcome compute(CheckpointRef ref, RunSpec spec) {
            int steps = spec.diagnose().longRun().steps();
            TenthsProgress progress = new TenthsProgress(spec.runName() + " diagnose iter " + ref.iteration(),
                    "steps", steps);
            CheckpointDiagnosis.Outcome outcome = CheckpointDiagnosis.run(Path.of(ref.checkpointJson()),
                    spec.diagnose().longRun(), new RunDirectory(Path.of(spec.outputDir())).diagnoseDir(),
                    (step, total) -> progress.update(step, () -> ""));
            LongRunReport report = outcome.report();
            String reasons = String.join("; ", report.verdict().reasons());
            System.err.printf("[%s] diagnose iter %d: %s (%s)%n", spec.runName(), ref.iteration(),
                    report.verdict().label(), reasons);
            return new StepOutcome(report.metrics(),
                    Map.of(VERDICT_TAG, report.verdict().label(), VERDICT_TAG + "_reasons", reasons),
                    outcome.pictures().stream().map(Path::toString).toList(),
                    List.of(outcome.reportJson().toString()));
        }
    }
}
