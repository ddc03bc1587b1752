package dev.shortrun.steps;

import dev.shortrun.model.longrun.CheckpointDiagnosis;
import dev.shortrun.model.longrun.LongRunReport;
import dev.shortrun.model.longrun.LongRunSettings;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.torch.Precision;
import dev.shortrun.steps.settings.Range;
import dev.shortrun.steps.settings.Section;
import dev.shortrun.steps.settings.Setting;
import dev.shortrun.steps.settings.SettingsReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
public final class DiagnoseStep extends StepDefinition<DiagnoseStep.Settings> {
    public static final String NAME = "diagnose";
    public static final String VERDICT_TAG = "longrun_verdict";
    private static final Logger LOG = LoggerFactory.getLogger(DiagnoseStep.class);
    public static final Section SECTION = new Section(NAME, "long-run chains and the convergent / non-convergent "
            + "verdict (Anatomy paper, Sec. 3.2)", false);

    public static final Setting<Integer> STEPS = SECTION.add(Setting.integer("steps", "Chain length L.")
            .between(1, 100_000_000)
            .defaultTo("100000 for images (the paper's), 10000 for 2D toys",
                    c -> c.toy() ? LongRunSettings.TOY_STEPS : LongRunSettings.IMAGE_STEPS));
    public static final Setting<Integer> CHAINS = SECTION.add(Setting.integer("chains", "Chains from noise, and as "
            + "many from data.").between(1, 10_000).defaultValue(16));
    public static final Setting<String> SAMPLER = SECTION.add(Setting.choice("sampler", "plain Langevin, or mala "
            + "(Metropolis-adjusted; reports the acceptance rate).", List.of("plain", "mala")).defaultValue("plain"));
    public static final Setting<Double> EPS = SECTION.add(Setting.number("eps", "The paper's step eps on U: X' = X - "
            + "(eps^2/2) dU/dX + eps Z (the paper evaluates MALA at 2e-3).").range(Range.POSITIVE)
            .unset("the training noise, i.e. the training chain itself"));
    public static final Setting<String> PRECISION = SECTION.add(Setting.choice("precision", "Arithmetic of grad f "
            + "inside the long chains: fp32 or bf16 (as sampler.precision; states, proposals and the f of MALA's "
            + "acceptance test stay fp32).", Precision.NAMES_LIST).unset("the run's sampler.precision"));
    public static final Setting<String> FROM = SECTION.add(Setting.choice("from", "Start chains from noise, data or "
            + "both.", List.of("noise", "data", "both")).defaultValue("both"));
    public static final Setting<Long> SEED = SECTION.add(Setting.longInteger("seed", "Seed of the starts and the "
            + "chains' noise.").defaultTo("learner.seed", c -> c.train().seed()));
    public static final Setting<String> CHECKPOINTS = SECTION.add(Setting.choice("checkpoints", "Diagnose the last "
            + "checkpoint, or all of them.", List.of("last", "all")).defaultValue("last"));
    public static final DiagnoseStep STEP = new DiagnoseStep();

    /**
     * The diagnose step's settings.
     *
     * @param longRun         chain length, chains, sampler, eps, starts and seed
     * @param everyCheckpoint diagnose every checkpoint, not only the run's last
     */
    public record Settings(LongRunSettings longRun, boolean everyCheckpoint) {
    }

    private DiagnoseStep() {
        super(SECTION, Settings.class, Data.ANY);
    }

    @Override
    public Settings resolve(SettingsReader r) {
        LongRunSettings longRun = new LongRunSettings(r.get(STEPS), r.get(CHAINS),
                LongRunSettings.parseSampler(r.get(SAMPLER)), r.getIfGiven(EPS),
                LongRunSettings.parseStarts(r.get(FROM)), r.get(SEED), precision(r));
        return new Settings(longRun, r.get(CHECKPOINTS).equals("all"));
    }

    /** The precision given, else null: the run's own (read only when given, so older specs keep their params). */
    private static Precision precision(SettingsReader r) {
        String given = r.getIfGiven(PRECISION);
        return given == null ? null : Precision.parse(given);
    }

    @Override
    public CheckpointStepFn<Settings> newFn() {
        return new DiagnoseFn();
    }

    static final class DiagnoseFn extends CheckpointStepFn<Settings> {
        DiagnoseFn() {
            super(NAME, Settings.class, RunDirectory.DIAGNOSE);
        }

        @Override
        protected boolean appliesTo(CheckpointRef ref, Settings settings) {
            return ref.last() || settings.everyCheckpoint();
        }

        @Override
        protected StepOutcome compute(CheckpointRef ref, RunSpec spec, Settings settings) {
            int steps = settings.longRun().steps();
            RunProgress progress = progress(ref, "steps", steps);
            CheckpointDiagnosis.Outcome outcome = CheckpointDiagnosis.run(Path.of(ref.checkpointJson()),
                    settings.longRun(), new RunDirectory(Path.of(spec.outputDir())).diagnoseDir(),
                    (step, total) -> progress.update(step, () -> ""));
            LongRunReport report = outcome.report();
            String reasons = String.join("; ", report.verdict().reasons());
            LOG.info("[{}] diagnose iter {}: {} ({})", spec.runName(), ref.iteration(), report.verdict().label(),
                    reasons);
            return new StepOutcome(report.metrics(),
                    Map.of(VERDICT_TAG, report.verdict().label(), VERDICT_TAG + "_reasons", reasons),
                    outcome.pictures().stream().map(Path::toString).toList(),
                    List.of(outcome.reportJson().toString()));
        }
    }
}
