package dev.shortrun.cli;

import dev.shortrun.config.CommandLineValue;
import dev.shortrun.model.longrun.CheckpointDiagnosis;
import dev.shortrun.model.longrun.LongRunReport;
import dev.shortrun.model.longrun.LongRunSettings;
import dev.shortrun.model.longrun.Verdict;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.steps.DiagnoseStep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code shortrun diagnose}: long-run chains on a checkpoint and the convergent / non-convergent verdict. */
@Command(name = "diagnose", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Long-run diagnosis of a checkpoint (Anatomy paper, Sec. 3.2 and Fig. 2): chains of L steps "
                + "from the run's p0 noise and from its data, plain Langevin or MALA, on the energy U = -f/T at the "
                + "training temperature T = noise_std^2 / (2 step_size).",
                "Records U, ||grad f|| and the fraction of saturated pixels (|x| > 0.99) at steps 0, 1, 2, 5, 10, "
                        + "..., L; writes OUT/longrun-iter-N.png (rows: chains from noise, then from data; columns: "
                        + "those steps), OUT/longrun-energy-iter-N.png (median U against the data's 5-95% band) and "
                        + "OUT/longrun-iter-N.json, and prints the verdict with its numbers.",
                "Verdict: non-convergent when a chain group's median U ends more than "
                        + "3 data-band widths below the band, or its saturation exceeds the data's by more than 25 "
                        + "points; else convergent for this chain length."})
final class DiagnoseCommand extends StepCommand<DiagnoseStep.Settings> {
    @Option(names = "--mala", description = "Short for --sampler mala: Metropolis-adjusted Langevin; prints the "
            + "acceptance rate.")
    boolean mala;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default RUN/diagnose).")
    Path out;

    DiagnoseCommand() {
        super(DiagnoseStep.STEP, List.of(DiagnoseStep.STEPS, DiagnoseStep.CHAINS,
                DiagnoseStep.SAMPLER, DiagnoseStep.EPS, DiagnoseStep.PRECISION, DiagnoseStep.FROM, DiagnoseStep.SEED));
    }

    @Override
    List<CommandLineValue> values() {
        List<CommandLineValue> values = new ArrayList<>(super.values());
        if (mala) {
            values.add(CommandLineValue.flag("--mala", DiagnoseStep.SAMPLER, "mala"));
        }
        return values;
    }

    @Override
    public Integer call() {
        Path json = trained.json();
        LongRunSettings settings = settings().longRun();
        Torch.configure(trained.threads);
        Path dir = out != null ? out : RunDirectory.ofCheckpoint(json).diagnoseDir();
        // the bar starts with the chains, so its rate is the chains' rate, not diluted by loading model and data
        ProgressBar[] bar = new ProgressBar[1];
        CheckpointDiagnosis.Outcome outcome = CheckpointDiagnosis.run(json, settings, dir, (k, total) -> {
            if (bar[0] == null) {
                bar[0] = new ProgressBar(System.err, "diagnose", k - 1, total);
            }
            bar[0].update(k, "");
        });
        print(outcome);
        return 0;
    }

    private static void print(CheckpointDiagnosis.Outcome outcome) {
        LongRunReport r = outcome.report();
        Verdict v = r.verdict();
        System.out.printf(Locale.ROOT, "verdict: %s%n", v.label());
        v.reasons().forEach(reason -> System.out.println("  " + reason));
        System.out.printf(Locale.ROOT, "chains:  %d from each start, L=%d %s steps at eps=%.3g (T=%.3g), %.1f steps/s"
                + "%s%n", r.chains(), r.steps(), r.sampler() + (r.precision().equals("fp32") ? "" : " "
                + r.precision()), r.eps(), r.temperature(), r.stepsPerSecond(),
                Double.isNaN(r.acceptanceRate()) ? "" : String.format(Locale.ROOT, ", acceptance %.3f",
                        r.acceptanceRate()));
        System.out.printf(Locale.ROOT, "data:    U 5%%/50%%/95%% = %.4g / %.4g / %.4g over %d examples%s%n",
                r.data().q05(), r.data().median(), r.data().q95(), r.data().count(), saturation(r.data().saturation()));
        line("noise", r.noise());
        line("data", r.fromData());
        System.out.println("report:  " + outcome.reportJson());
        outcome.pictures().forEach(p -> System.out.println("picture: " + p));
    }

    private static void line(String group, List<LongRunReport.Point> trace) {
        if (trace.isEmpty()) {
            return;
        }
        LongRunReport.Point first = trace.get(0);
        LongRunReport.Point last = trace.get(trace.size() - 1);
        System.out.printf(Locale.ROOT, "from %-5s median U %.4g -> %.4g, ||grad f|| %.3g -> %.3g%s%n", group + ":",
                first.medianEnergy(), last.medianEnergy(), first.gradNorm(), last.gradNorm(),
                saturation(last.saturation()));
    }

    private static String saturation(double s) {
        return Double.isNaN(s) ? "" : String.format(Locale.ROOT, ", saturated %.1f%%", 100 * s);
    }
}
