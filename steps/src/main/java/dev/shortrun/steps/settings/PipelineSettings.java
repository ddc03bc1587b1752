package dev.shortrun.steps.settings;

import dev.shortrun.steps.StepRegistry;

import java.util.List;

/** The top-level keys of a pipeline spec: its name, description, the steps after training, the output folder. */
public final class PipelineSettings {
    public static final Section SECTION = new Section("", "the pipeline itself", false);

    public static final Setting<String> NAME = SECTION.add(Setting.text("name", "Names the pipeline's runs, their "
            + "folder and (by default) the MLflow experiment; letters, digits, '.', '_' and '-'.")
            .derivedFrom("the spec file's name without .yaml"));
    public static final Setting<String> DESCRIPTION = SECTION.add(Setting.text("description", "What the pipeline "
            + "is, for people.").defaultValue(""));
    public static final Setting<List<String>> STEPS = SECTION.add(Setting.names("steps", "Steps run on the "
            + "checkpoints after training, in order.", StepRegistry::names).defaultValue(List.of()).hashed(true));
    public static final Setting<String> OUTPUT = SECTION.add(Setting.text("output", "Folder of the run directories "
            + "(runs/<pipeline>/<run>), relative to the working directory.").defaultValue("runs")
            .flags("--output-dir"));

    private PipelineSettings() {
    }
}
