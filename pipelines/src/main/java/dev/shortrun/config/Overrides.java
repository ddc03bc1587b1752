package dev.shortrun.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Command-line values ({@code --set key.path=value}, flags): read as YAML, so {@code steps=[sample]} is a list. */
final class Overrides {
    private Overrides() {
    }

    /** Key path -> value, in argument order (a later value of the same key wins). */
    static Map<String, SpecNode> parse(List<CommandLineValue> overrides, Path workingDir) {
        Map<String, SpecNode> values = new LinkedHashMap<>();
        for (CommandLineValue override : overrides) {
            String argument = override.argument();
            Where where = new Where(override.source(), 0, workingDir);
            int equals = argument.indexOf('=');
            if (equals <= 0) {
                throw new SpecException(where, "", "expected key.path=value, e.g. --set learner.lr=3e-4");
            }
            String key = argument.substring(0, equals).trim();
            SpecKeys.requireKey(key, where);
            if (argument.substring(equals + 1).isBlank()) {
                // an empty value would read as YAML null, i.e. the built-in default, not the spec's value
                throw new SpecException(where, key, "needs a value after '='; to keep the spec's value, leave the "
                        + "key out");
            }
            values.put(key, YamlReader.read(argument.substring(equals + 1), where));
        }
        return values;
    }
}
