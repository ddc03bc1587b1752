package dev.shortrun.cli;

import dev.shortrun.config.SpecLoader;
import dev.shortrun.config.Sweep;
import dev.shortrun.pipeline.Invocation;
import dev.shortrun.pipeline.SweepReport;
import dev.shortrun.pipeline.SweepRuns;
import dev.shortrun.steps.RunSpec;
import dev.shortrun.steps.settings.PipelineSettings;
import dev.shortrun.steps.settings.TrackingSettings;
import dev.shortrun.steps.tracking.ExistingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code shortrun report SWEEP.yaml}: a finished sweep's results as a table and a plot, beside the paper's. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Report a sweep that ran (./shortrun sweep SWEEP.yaml): one row per point (seeds pooled as mean "
                + "± sd), its metrics at the last checkpoint, and for the sweeps that reproduce a paper (table2, "
                + "table3a, table3b, toy-anatomy) the paper's numbers beside ours.",
                "Prints the table and writes OUTPUT/NAME/report/NAME-report.md and NAME-report.png; with an MLflow "
                        + "URI it also logs both on the sweep's parent run, under report/ (a server that cannot be "
                        + "reached only costs a warning).",
                "It reads the runs of the last invocation of the sweep (OUTPUT/NAME/invocation.json) from their "
                        + "folders, and runs nothing."})
final class ReportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SWEEP.yaml", description = "The sweep spec that ran (sweeps/*.yaml); "
            + "give the same --set as the sweep where they change its name or output folder.")
    Path spec;

    @Mixin
    SpecOptions options = new SpecOptions(List.of(PipelineSettings.OUTPUT, TrackingSettings.MLFLOW_URI));

    private final PrintStream out = System.out;
    private final PrintStream err = System.err;

    @Override
    public Integer call() throws Exception {
        if (!ValidateCommand.isSweep(spec)) {
            throw new IllegalArgumentException(spec + " is a pipeline, not a sweep (it has no top-level base:); "
                    + "report works on sweeps: ./shortrun report SWEEP.yaml");
        }
        Sweep sweep = new SpecLoader().loadSweep(spec, options.overrides());
        RunSpec first = sweep.points().get(0);
        Path root = Path.of(first.outputDir()).getParent();
        if (Invocation.read(root).isEmpty()) {
            throw new IllegalStateException("the sweep " + sweep.name() + " has not run yet: no " + root.resolve(
                    Invocation.FILE) + "; run it first: ./shortrun sweep " + spec);
        }
        SweepRuns results = SweepRuns.read(root);
        if (!results.invocation().points().equals(sweep.points().stream().map(RunSpec::runName).toList())) {
            err.println("note: reporting the runs of the last sweep of " + sweep.name() + ", which ran with other "
                    + "settings than " + spec + " resolves to now (another --set?)");
        }
        SweepReport report = new SweepReport(sweep.name(), sweep.description(), results);
        List<Path> files = report.write();
        out.print(report.text());
        out.println("report:  " + files.get(0).toAbsolutePath());
        out.println("plot:    " + files.get(1).toAbsolutePath());
        String uri = first.tracking().mlflowUri();
        if (uri != null && !uri.isBlank()) {
            logOnParent(uri, results, files);
        }
        return 0;
    }

    /** The report's files as artifacts of the sweep's parent run; never a new run. Failures only warn. */
    private void logOnParent(String uri, SweepRuns results, List<Path> files) {
        String key = results.invocation().parentKey();
        String experiment = results.finished().get(0).spec().tracking().experiment();
        if (key == null) {
            err.println("warning: " + results.root() + " records no parent run; the report is local only");
            return;
        }
        try {
            Optional<ExistingRun> parent = ExistingRun.find(uri, experiment, key);
            if (parent.isEmpty()) {
                err.println("warning: MLflow at " + uri + " has no parent run of this sweep (experiment " + experiment
                        + ", tag shortrun.run_key=" + key + "; did the sweep run without --mlflow-uri?); the "
                        + "report is local only");
                return;
            }
            for (Path file : files) {
                parent.get().logArtifact(file, SweepReport.DIR);
            }
            out.println("logged:  " + SweepReport.DIR + "/" + files.get(0).getFileName() + ", " + SweepReport.DIR
                    + "/" + files.get(1).getFileName() + " on " + parent.get().url());
        } catch (RuntimeException e) { // unreachable, refusing, or not an MLflow server: the files are written
            err.println("warning: could not log the report on MLflow (" + ErrorLine.of(e) + "); it is local only");
        }
    }
}
