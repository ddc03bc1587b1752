package dev.shortrun.steps.record;

import dev.shortrun.steps.CodeVersion;
import dev.shortrun.steps.RunOrigin;
import dev.shortrun.steps.RunSpec;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tags that say where a run comes from, in MLflow's own fields where it has them: the name its UI shows, the
 * user ("Created by"), the source ("Source": the spec file the command ran), the git commit ("Version") with its
 * dirty state, the entry point and command line, and the shortrun version.
 */
public final class Lineage {
    public static final String USER = "mlflow.user";
    public static final String SOURCE_NAME = "mlflow.source.name";
    public static final String SOURCE_TYPE = "mlflow.source.type";
    public static final String GIT_COMMIT = "mlflow.source.git.commit";
    public static final String ENTRY_POINT = "mlflow.project.entryPoint";
    public static final String DISPLAY_NAME = "mlflow.runName";
    public static final String NOTE = "mlflow.note.content";
    public static final String GIT_DIRTY = "shortrun.git_dirty";
    public static final String COMMAND_LINE = "shortrun.command_line";
    public static final String VERSION = "shortrun.version";

    private Lineage() {
    }

    /**
     * A training run's: its display name, description and (a sweep point's) colour, who started it, from which spec,
     * with which code.
     */
    public static Map<String, String> of(RunSpec spec) {
        RunOrigin origin = spec.origin();
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(DISPLAY_NAME, origin.label());
        tags.put(NOTE, RunDescription.of(spec));
        RunColor.of(origin).ifPresent(color -> tags.put(RunColor.TAG, color));
        String source = origin.sweep() != null ? origin.sweep().file() : origin.baseFile();
        tags.putAll(of(origin.launch(), source, CodeVersion.current()));
        return tags;
    }

    /**
     * Who started a run, from which file, with which code.
     *
     * @param launch  who started it, or null when unknown (then only the code is named)
     * @param source  the spec file the command ran, or null
     * @param code    {@link CodeVersion#current()}: a git commit, with "-dirty" for uncommitted changes, or "unknown"
     */
    public static Map<String, String> of(RunOrigin.Launch launch, String source, String code) {
        Map<String, String> tags = new LinkedHashMap<>();
        if (launch != null) {
            tags.put(USER, launch.user());
            tags.put(ENTRY_POINT, launch.command());
            tags.put(COMMAND_LINE, launch.commandLine());
            tags.put(VERSION, launch.version());
        }
        if (source != null) {
            tags.put(SOURCE_TYPE, "LOCAL");
            tags.put(SOURCE_NAME, source);
        }
        boolean dirty = code.endsWith("-dirty");
        String commit = dirty ? code.substring(0, code.length() - "-dirty".length()) : code;
        if (commit.matches("[0-9a-f]{7,40}")) {
            tags.put(GIT_COMMIT, commit);
            tags.put(GIT_DIRTY, Boolean.toString(dirty));
        }
        return tags;
    }
}
