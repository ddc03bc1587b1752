package dev.shortrun.cli;

import dev.shortrun.config.CommandLineValue;
import dev.shortrun.steps.settings.Setting;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The flags a command has for declared settings ({@code train --n-f 32} is {@code model.n_f=32}): names, help text,
 * default and allowed values all come from the settings' declarations, and a value given is handed to the same
 * resolver that reads spec files, so a flag and a spec key can never disagree.
 */
final class SettingFlags {
    private final List<Setting<?>> settings;
    private final List<CommandLineValue> values = new ArrayList<>();

    /** Flags for {@code settings}, in this order in {@code --help}. */
    SettingFlags(List<? extends Setting<?>> settings) {
        this.settings = List.copyOf(settings);
    }

    /** A command (or mixin) with flags for settings. */
    interface Holder {
        SettingFlags settingFlags();
    }

    /** The values given, in command-line order. */
    List<CommandLineValue> values() {
        return List.copyOf(values);
    }

    /** Whether any flag was given for {@code setting}. */
    boolean given(Setting<?> setting) {
        return values.stream().anyMatch(v -> v.argument().startsWith(setting.path() + "="));
    }

    /** The flags given, as the user typed them (for messages). */
    List<String> givenFlags() {
        return values.stream().map(v -> v.source().substring(0, v.source().indexOf(' '))).toList();
    }

    /** Adds the flags of every command and mixin that has some, below {@code root}. */
    static void addTo(CommandLine root) {
        CommandSpec spec = root.getCommandSpec();
        if (spec.userObject() instanceof Holder holder) {
            holder.settingFlags().addOptions(spec);
        }
        spec.mixins().values().forEach(mixin -> {
            if (mixin.userObject() instanceof Holder holder) {
                holder.settingFlags().addOptions(spec);
            }
        });
        root.getSubcommands().values().forEach(SettingFlags::addTo);
    }

    private void addOptions(CommandSpec command) {
        for (Setting<?> setting : settings) {
            String flag = setting.flags().get(0);
            command.addOption(OptionSpec.builder(setting.flags().toArray(String[]::new))
                    .paramLabel(label(setting))
                    .description(describe(setting))
                    .type(String.class)
                    .setter(new CommandLine.Model.ISetter() {
                        @Override
                        public <T> T set(T value) {
                            if (value != null) { // picocli "sets" the absent default before parsing: not a value
                                values.add(CommandLineValue.flag(flag, setting, String.valueOf(value)));
                            }
                            return null;
                        }
                    })
                    .build());
        }
    }

    private static String label(Setting<?> setting) {
        return switch (setting.type()) {
            case INTEGER, INTEGER_LIST -> "N";
            case NUMBER -> "X";
            case PATH -> "DIR";
            default -> setting.leaf().toUpperCase(Locale.ROOT);
        };
    }

    /** The setting's help, its allowed values and its default, and the spec key it sets. */
    static String describe(Setting<?> setting) {
        String text = setting.help() + " Takes " + setting.constraint() + "; default: "
                + setting.fallback().describe() + ". (Spec key " + setting.path() + ".)";
        return text.replace("%", "%%"); // picocli formats descriptions
    }
}
