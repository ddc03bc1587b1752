package dev.shortrun.cli;

import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.model.run.TrainingDiagnostics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code shortrun plot-diagnostics RUN}: the Anatomy paper's Figure 4 from a run's metrics, at any time. */
@Command(name = "plot-diagnostics", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Draw the learning diagnostics of the Anatomy paper (Figure 4) from RUN/metrics.csv: the "
                + "energy difference d_s_t = mean U(x+) - mean U(x-) (< 0 expanding, > 0 contracting) and the "
                + "gradient magnitude r_t over iterations, their cross-correlation (lags -15..15) and their "
                + "autocorrelations (0..15), over the last 2000 iterations.",
                "Works on a finished run or one still training; training writes the same picture at its end."})
final class PlotDiagnosticsCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN", description = "A run directory (holding metrics.csv).")
    Path run;

    @Option(names = "--out", paramLabel = "FILE.png",
            description = "Picture path (default RUN/" + RunDirectory.DIAGNOSTICS_PNG + ").")
    Path out;

    @Override
    public Integer call() {
        RunDirectory files = new RunDirectory(run);
        Path metrics = files.metricsCsv();
        if (!Files.isRegularFile(metrics)) {
            throw new IllegalArgumentException("no metrics.csv in " + run + " (give a run directory)");
        }
        Path png = out != null ? out : files.diagnosticsPng();
        if (!TrainingDiagnostics.plot(metrics, png)) {
            throw new IllegalArgumentException(metrics + " holds fewer than 2 iterations: nothing to correlate yet");
        }
        System.out.println("diagnostics: " + png.toAbsolutePath());
        return 0;
    }
}
