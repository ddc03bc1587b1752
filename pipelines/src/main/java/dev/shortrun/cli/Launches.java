package dev.shortrun.cli;

import dev.shortrun.steps.RunOrigin;
import dev.shortrun.steps.RunSpec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.List;
import java.util.stream.Collectors;

/** Who starts runs from this command line, and how: each run's {@link RunOrigin.Launch}, for its lineage tags. */
final class Launches {
    private Launches() {
    }

    /** The runs, started by {@code command} as the user typed it. */
    static List<RunSpec> stamp(List<RunSpec> runs, CommandSpec command) {
        List<String> args = command.commandLine().getParseResult().originalArgs();
        RunOrigin.Launch launch = new RunOrigin.Launch(System.getProperty("user.name", "unknown"),
                "shortrun " + args.stream().map(Launches::quoted).collect(Collectors.joining(" ")), command.name(),
                Main.Version.number());
        return runs.stream().map(r -> r.withOrigin(r.origin().withLaunch(launch))).toList();
    }

    /** An argument as a shell reads it back. */
    static String quoted(String arg) {
        return arg.matches("[A-Za-z0-9_./:=,@%+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
    }
}
