package dev.shortrun.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.regex.Pattern;

/** Entry point of the {@code shortrun} command. */
@Command(name = "shortrun", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Energy-based models learned with short-run MCMC (Nijkamp et al. 2019, 2020).",
        subcommands = {RunCommand.Pipeline.class, RunCommand.SweepRun.class, ValidateCommand.class,
                TrainCommand.class, SampleCommand.class, InterpolateCommand.class, ReconstructCommand.class,
                SuperresCommand.class, FlowCommand.class, DiagnoseCommand.class, LandscapeCommand.class,
                PlotDiagnosticsCommand.class, DensityCommand.class, ScoreCommand.class, FidCommand.class,
                FetchInceptionCommand.class, TrainLenetCommand.class, BenchCommand.class, PipelineBenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {
    /** "dev.shortrun.x.SomeException: " as Flink's serialized copies of an exception start their message. */
    private static final Pattern CLASS_PREFIX = Pattern.compile("^(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*: ");

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (tests call this instead of main). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // Users get one clear line; the stack trace only with SHORTRUN_DEBUG=1.
            commandLine.getErr().println("error: " + describe(e));
            if (System.getenv("SHORTRUN_DEBUG") != null) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli.execute(args);
    }

    /**
     * The message a user can act on. Runners wrap what a step raised in layers of their own ("Pipeline execution
     * failed", "Job execution failed", copies prefixed with the original class name), so the outermost error raised
     * by shortrun's own code wins; otherwise the first non-blank message.
     */
    static String describe(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            String own = c.getMessage();
            if (raisedByShortrun(c) && own != null && !own.isBlank()) {
                return CLASS_PREFIX.matcher(own).replaceFirst("");
            }
        }
        String message = e.getMessage();
        Throwable cause = e;
        while ((message == null || message.isBlank()) && cause.getCause() != null) {
            cause = cause.getCause();
            message = cause.getMessage();
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private static boolean raisedByShortrun(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        return trace.length > 0 && trace[0].getClassName().startsWith("dev.shortrun.");
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"shortrun " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
