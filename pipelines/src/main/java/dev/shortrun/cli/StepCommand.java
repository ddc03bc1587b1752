package dev.shortrun.cli;

import dev.shortrun.config.CommandLineValue;
import dev.shortrun.config.SpecLoader;
import dev.shortrun.model.run.Checkpoint;
import dev.shortrun.steps.StepDefinition;
import dev.shortrun.steps.settings.Setting;
import picocli.CommandLine.Mixin;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * A command that does a pipeline step's work on one checkpoint ({@code sample}, {@code score}, {@code diagnose},
 * {@code interpolate}, ...): the CHECKPOINT argument and {@code --threads}, and flags for the step's settings with the
 * same names, defaults and checks as its spec keys, resolved as a pipeline resolves them for that checkpoint's run.
 *
 * @param <S> the step's typed settings
 */
abstract class StepCommand<S> implements Callable<Integer>, SettingFlags.Holder {
    @Mixin
    CheckpointOptions trained;

    private final StepDefinition<S> step;
    private final SettingFlags flags;

    /** @param settings the step's settings this command has flags for, in {@code --help} order */
    StepCommand(StepDefinition<S> step, List<? extends Setting<?>> settings) {
        this.step = step;
        this.flags = new SettingFlags(settings);
    }

    @Override
    public final SettingFlags settingFlags() {
        return flags;
    }

    /**
     * The step's settings: the flags given, the rest defaulted as a pipeline defaults them for the checkpoint's run
     * (its seed, its training K, its data).
     */
    final S settings() {
        return new SpecLoader().loadStep(step, Checkpoint.read(trained.json()).config(), values());
    }

    /** The values of the flags given; a command with shorthand flags (e.g. {@code --mala}) adds theirs. */
    List<CommandLineValue> values() {
        return flags.values();
    }
}
