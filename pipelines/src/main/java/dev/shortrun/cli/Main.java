package dev.shortrun.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;


/** Entry point of the {@code shortrun} command. */
@Command(name = "shortrun", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Energy-based models learned with short-run MCMC (Nijkamp et al. 2019, 2020).",
        subcommands = {RunCommand.Pipeline.class, RunCommand.SweepRun.class, StatusCommand.class, ValidateCommand.class,
                ReportCommand.class,
                TrainCommand.class, SampleCommand.class, InterpolateCommand.class, ReconstructCommand.class,
                SuperresCommand.class, FlowCommand.class, DiagnoseCommand.class, LandscapeCommand.class,
                PlotDiagnosticsCommand.class, DensityCommand.class, ScoreCommand.class, FidCommand.class,
                FetchInceptionCommand.class, TrainLenetCommand.class, SettingsCommand.class, BenchCommand.class,
                PipelineBenchCommand.class, CompareCommand.class, BaselineCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {
    public static void main(String[] args) {
        ProcessTempDir.install(); // before anything writes temp files: embedded Flink's are removed at exit
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        SettingFlags.addTo(cli);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // Users get one clear line; the stack trace only with SHORTRUN_DEBUG=1.
            commandLine.getErr().println("error: " + ErrorLine.of(e));
            if (System.getenv("SHORTRUN_DEBUG") != null) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"shortrun " + number()};
        }

        /** shortrun's version, e.g. 0.1.0-SNAPSHOT. */
        static String number() {
            String v = Main.class.getPackage().getImplementationVersion();
            return v == null ? "0.1.0-SNAPSHOT" : v;
        }
    }
}
