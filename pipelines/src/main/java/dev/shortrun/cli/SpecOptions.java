package dev.shortrun.cli;

import dev.shortrun.config.CommandLineValue;
import dev.shortrun.steps.settings.ResourceSettings;
import dev.shortrun.steps.settings.RunnerSettings;
import dev.shortrun.steps.settings.Setting;
import dev.shortrun.steps.settings.TrackingSettings;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/**
 * Options shared by run, sweep and validate (and report, with fewer flags): overrides of any spec key, and flags for
 * the settings changed most often from the command line (runner, Flink master, MLflow, parallelism, trigger).
 */
final class SpecOptions implements SettingFlags.Holder {
    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override any spec key, e.g. --set learner.iterations=50 --set sampler.K=20 (repeatable; "
                    + "`./shortrun settings` lists every key).")
    List<String> sets = new ArrayList<>();

    private final SettingFlags flags;

    /** The flags of run, sweep and validate. */
    SpecOptions() {
        this(List.of(RunnerSettings.KIND, RunnerSettings.FLINK_MASTER, TrackingSettings.MLFLOW_URI,
                ResourceSettings.PARALLELISM, TrackingSettings.TRIGGER));
    }

    /** Flags for these settings only (a command that runs nothing needs no runner flags). */
    SpecOptions(List<? extends Setting<?>> flagged) {
        this.flags = new SettingFlags(flagged);
    }

    @Override
    public SettingFlags settingFlags() {
        return flags;
    }

    /** The command-line values: {@code --set}s first, flags last so they win. */
    List<CommandLineValue> overrides() {
        List<CommandLineValue> all = new ArrayList<>();
        sets.forEach(argument -> all.add(CommandLineValue.set(argument)));
        all.addAll(flags.values());
        if (flags.given(RunnerSettings.FLINK_MASTER) && !flags.given(RunnerSettings.KIND)) {
            // --flink-master implies --runner flink-cluster, also over a spec that names another runner
            all.add(CommandLineValue.flag("--flink-master", RunnerSettings.KIND, "flink-cluster"));
        }
        return all;
    }

    /** Whether {@code --parallelism} was given (a sweep runs max_concurrency points at once otherwise). */
    boolean parallelismGiven() {
        return flags.given(ResourceSettings.PARALLELISM);
    }
}
