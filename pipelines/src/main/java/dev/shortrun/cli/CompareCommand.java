package dev.shortrun.cli;

import dev.shortrun.config.Regression;
import dev.shortrun.config.SpecLoader;
import dev.shortrun.config.Sweep;
import dev.shortrun.regression.BaselineSource;
import dev.shortrun.regression.GateReport;
import dev.shortrun.regression.RegressionGate;
import dev.shortrun.regression.SweepFolder;
import dev.shortrun.regression.SweepResults;
import dev.shortrun.model.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code shortrun compare SWEEP.yaml}: the regression gate of a finished sweep against a baseline. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Regression gate: compare the last results of a sweep (in OUTPUT/NAME/, as `shortrun sweep` "
                + "left them) with a baseline, configuration by configuration (points that differ only in "
                + "learner.seed), for each check of the sweep's `regression:` section. Prints metric | baseline | "
                + "candidate | delta | verdict, writes the same as markdown and a picture to "
                + "OUTPUT/NAME/regression/, adds them to the sweep's MLflow parent run (tag regression.verdict).",
                "Exit code: 0 no regression, 3 regression (or a value the baseline has is missing), 1 cannot compare."},
        exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:no regression", "3:regression",
        "1:cannot compare (no finished sweep, no or unreadable baseline)", "2:usage error"})
final class CompareCommand implements Callable<Integer> {
    static final int REGRESSION_EXIT = 3;

    @Parameters(index = "0", paramLabel = "SWEEP.yaml", description = "The sweep spec, with the same --set as the "
            + "sweep was run with (they decide its output folder).")
    Path spec;

    @Option(names = "--baseline", paramLabel = "FILE|mlflow[:TAG=VALUE,...]", description = {"What to compare "
            + "against (default: the sweep's regression.baseline file).",
            "FILE: a baseline file written by `shortrun baseline`.",
            "mlflow: the newest FINISHED parent run of this sweep in MLflow (--mlflow-uri) other than the "
                    + "candidate's own, optionally only among those with the given tags, e.g. "
                    + "mlflow:trigger=schedule (its results.json, logged at the end of every sweep)."})
    String baseline;

    @Mixin
    SpecOptions options;

    @Override
    public Integer call() throws Exception {
        Sweep sweep = new SpecLoader().loadSweep(spec, options.overrides());
        Regression regression = sweep.regression();
        if (regression == null) {
            throw new IllegalArgumentException(spec + " has no regression: section; add e.g. regression: {checks: "
                    + "[{metric: kl_true_kde, tolerance: 0.05}]} to name what must not get worse");
        }
        SweepFolder folder = SweepFolder.of(sweep);
        SweepResults candidate = SweepResults.read(folder.root());
        List<SweepResults.RunResult> byOtherCode = candidate.byOtherCode();
        if (!byOtherCode.isEmpty()) { // a gate of the code under test must not pass on older results
            SweepResults.RunResult other = byOtherCode.get(0);
            throw new IllegalArgumentException("cannot gate code " + candidate.code() + ": " + byOtherCode.size()
                    + " of its runs were computed by other code (" + other.run() + ": "
                    + other.code() + ", reused with --reuse-other-code); run the sweep again without it");
        }
        SweepResults base = BaselineSource.parse(baseline, regression, sweep).load(folder);
        RegressionGate.Result result = RegressionGate.compare(regression, base, candidate);
        System.out.print(GateReport.text(result));
        Path md = folder.regressionDir().resolve(sweep.name() + "-regression.md");
        Path png = folder.regressionDir().resolve(sweep.name() + "-regression.png");
        java.nio.file.Files.createDirectories(folder.regressionDir());
        GateReport.writePlot(png, result);
        AtomicFiles.writeString(md, GateReport.markdown(result, png.getFileName().toString()));
        System.out.println("report:    " + md.toAbsolutePath());
        System.out.println("picture:   " + png.toAbsolutePath());
        String verdict = result.regressed() ? "regression" : "pass";
        try {
            SweepFolder.Added added = folder.addToParent(parent -> {
                parent.logArtifact(md, "regression");
                parent.logArtifact(png, "regression");
                parent.setTag("regression.verdict", verdict);
                parent.setTag("regression.summary", GateReport.verdictLine(result));
                parent.setTag("regression.baseline", base.source() + " (code " + base.code() + ")");
                parent.logMetrics(0, Map.of("regression_failures", (double) result.rows().stream()
                        .filter(r -> r.verdict().fails()).count()));
            });
            if (added == SweepFolder.Added.EVERYWHERE) {
                System.out.println("tracking:  verdict " + verdict + " added to the sweep's parent run");
            } else if (added == SweepFolder.Added.LOCALLY_ONLY) {
                System.err.println("warning: MLflow could not be reached: the verdict is in the parent's local record "
                        + "only (" + folder.root().resolve("tracking") + ")");
            }
        } catch (RuntimeException e) {
            System.err.println("warning: could not add the verdict to the sweep's parent run: " + ErrorLine.of(e));
        }
        return result.regressed() ? REGRESSION_EXIT : 0;
    }
}
