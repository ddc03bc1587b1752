package dev.shortrun.config;

import dev.shortrun.steps.settings.Setting;

import java.util.List;

/**
 * One value given on a command line: a {@code --set key=value} argument, or a command's flag for a setting
 * ({@code --n-f 32}, which is {@code model.n_f=32}). Either way it is read as YAML and validated exactly like the
 * same key in a spec file; errors name the argument as the user typed it.
 *
 * @param argument {@code key.path=value}
 * @param source   what the user typed, for error messages
 */
public record CommandLineValue(String argument, String source) {
    /** A {@code --set key=value} argument. */
    public static CommandLineValue set(String argument) {
        return new CommandLineValue(argument, "--set " + argument);
    }

    /** Several {@code --set} arguments. */
    public static List<CommandLineValue> sets(List<String> arguments) {
        return arguments.stream().map(CommandLineValue::set).toList();
    }

    /** A command's {@code flag} for {@code setting}, given {@code value}. */
    public static CommandLineValue flag(String flag, Setting<?> setting, String value) {
        return new CommandLineValue(setting.path() + "=" + value, flag + " " + value);
    }
}
