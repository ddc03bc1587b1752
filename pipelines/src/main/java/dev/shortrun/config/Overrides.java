package dev.shortrun.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --set key.path=value} arguments: the value is read as YAML, so {@code steps=[sample]} is a list. */
final class Overrides {
    private Overrides() {
    }

    /** Key path -> value, in argument order (a later --set of the same key wins). */
    static Map<String, SpecNode> parse(List<String> arguments, Path workingDir) {
        Map<String, SpecNode> overrides = new LinkedHashMap<>();
        for (String argument : arguments) {
            Where where = Where.override(argument, workingDir);
            int equals = argument.indexOf('=');
            if (equals <= 0) {
                throw new SpecException(where, "", "expected key.path=value, e.g. --set learner.lr=3e-4");
            }
            String key = argument.substring(0, equals).trim();
            SpecKeys.requireKey(key, where);
            overrides.put(key, YamlReader.read(argument.substring(equals + 1), where));
        }
        return overrides;
    }
}
