package dev.shortrun.cli;

import dev.shortrun.config.SpecLoader;
import dev.shortrun.model.learning.TrainConfig;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.Map;

/** For tests in other packages: what {@code shortrun train ARGS} would train, read through its real flags. */
public final class TrainCommandConfig {
    private TrainCommandConfig() {
    }

    public static TrainConfig of(String... args) {
        TrainCommand command = new TrainCommand();
        CommandLine cli = new CommandLine(command);
        SettingFlags.addTo(cli);
        cli.parseArgs(args);
        return new SpecLoader(Map.of(), Path.of("")).loadTraining(command.settingFlags().values());
    }
}
