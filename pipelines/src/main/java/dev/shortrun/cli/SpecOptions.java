package dev.shortrun.cli;

import dev.shortrun.config.CommandLineValue;
import dev.shortrun.steps.settings.ResourceSettings;
import dev.shortrun.steps.settings.RunnerSettings;
import dev.shortrun.steps.settings.TrackingSettings;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/**
 * Options shared by run, sweep and validate: overrides of any spec key, and flags for the settings changed most
 * often from the command line (runner, Flink master, MLflow, parallelism, trigger).
 */
final class SpecOptions implements SettingFlags.Holder {
    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override any spec key, e.g. --set learner.iterations=50 --set sampler.K=20 (repeatable; "
                    + "`./shortrun settings` lists every key).")
    List<String> sets = new ArrayList<>();

    private final SettingFlags flags = new SettingFlags(List.of(RunnerSettings.KIND, RunnerSettings.FLINK_MASTER,
            TrackingSettings.MLFLOW_URI, ResourceSettings.PARALLELISM, TrackingSettings.TRIGGER));

    @Override
    public SettingFlags settingFlags() {
        return flags;
    }

    /** The command-line values: {@code --set}s first, flags last so they win. */
    List<CommandLineValue> overrides() {
        List<CommandLineValue> all = new ArrayList<>();
        sets.forEach(argument -> all.add(CommandLineValue.set(argument)));
        all.addAll(flags.values());
        return all;
    }

    /** Whether {@code --parallelism} was given (a sweep runs max_concurrency points at once otherwise). */
    boolean parallelismGiven() {
        return flags.given(ResourceSettings.PARALLELISM);
    }
}
