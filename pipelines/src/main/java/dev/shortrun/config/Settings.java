package dev.shortrun.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The values given for a pipeline, flattened to key paths ({@code learner.lr -> 1e-4}), each with where it was
 * written. Overrides ({@code --set}, sweep axes) simply replace entries, so they are validated exactly like the file.
 */
final class Settings {
    private final Map<String, SpecNode> values = new LinkedHashMap<>();
    private final Map<String, Where> sections = new LinkedHashMap<>();
    private final Where origin;

    private Settings(Where origin) {
        this.origin = origin;
    }

    /** Checks every key of a spec file's tree against {@link SpecKeys} and flattens it. */
    static Settings fromTree(SpecNode.Mapping root) {
        Settings settings = new Settings(root.where());
        for (SpecNode.Entry entry : root.entries().values()) {
            String key = entry.key();
            if (SpecKeys.isKey(key)) {
                settings.values.put(key, entry.value());
            } else if (SpecKeys.isSection(key)) {
                settings.sections.put(key, entry.where());
                settings.addSection(key, entry.value());
            } else {
                throw new SpecException(entry.where(), key, SpecKeys.unknownKeyProblem(key));
            }
        }
        return settings;
    }

    private void addSection(String section, SpecNode node) {
        if (node instanceof SpecNode.Scalar s && s.isNull()) {
            return; // "learner:" with nothing under it: all defaults
        }
        if (!(node instanceof SpecNode.Mapping map)) {
            throw new SpecException(node.where(), section, "expected a mapping of settings ("
                    + String.join(", ", SpecKeys.childrenOf(section)) + "), found " + node.shown());
        }
        for (SpecNode.Entry entry : map.entries().values()) {
            String path = section + "." + entry.key();
            SpecKeys.requireKey(path, entry.where());
            values.put(path, entry.value());
        }
    }

    /** No file: only values given on the command line, validated like a file's. */
    static Settings commandLine(Path workingDir) {
        return new Settings(new Where("the command line", 0, workingDir));
    }

    Settings copy() {
        Settings copy = new Settings(origin);
        copy.values.putAll(values);
        copy.sections.putAll(sections);
        return copy;
    }

    /** Replaces (or adds) one value; the key path must be known. */
    void override(String path, SpecNode value) {
        SpecKeys.requireKey(path, value.where());
        values.put(path, value);
    }

    /** The value given for {@code path}; null when absent or YAML null (both mean "use the default"). */
    SpecNode given(String path) {
        SpecNode node = values.get(path);
        return node instanceof SpecNode.Scalar s && s.isNull() ? null : node;
    }

    /** Where a missing key would have gone: its section's line, else the top of the file. */
    Where whereMissing(String path) {
        int dot = path.indexOf('.');
        Where section = dot < 0 ? null : sections.get(path.substring(0, dot));
        return section != null ? section : origin;
    }
}
