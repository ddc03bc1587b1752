package dev.shortrun.steps.settings;

import dev.shortrun.steps.StepDefinition;
import dev.shortrun.steps.StepRegistry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every setting a pipeline spec may hold, collected from the units that declare them: the top-level keys, the
 * training units, each registered step, tracking, runner and resources. The spec schema is this list.
 */
public final class SettingsCatalog {
    private SettingsCatalog() {
    }

    /** Every section, in the order a spec is written. */
    public static List<Section> sections() {
        List<Section> sections = new ArrayList<>();
        sections.add(PipelineSettings.SECTION);
        sections.addAll(TrainingSettings.SECTIONS);
        for (StepDefinition<?> step : StepRegistry.all()) {
            sections.add(step.settings());
        }
        sections.add(TrackingSettings.SECTION);
        sections.add(RunnerSettings.SECTION);
        sections.add(ResourceSettings.SECTION);
        return sections;
    }

    /** Every setting by key path, in spec order. */
    public static Map<String, Setting<?>> all() {
        Map<String, Setting<?>> all = new LinkedHashMap<>();
        for (Section section : sections()) {
            for (Setting<?> s : section.settings()) {
                if (all.put(s.path(), s) != null) {
                    throw new IllegalStateException("setting " + s.path() + " declared twice");
                }
            }
        }
        return all;
    }

    /** The setting at {@code path}, if one is declared. */
    public static Optional<Setting<?>> find(String path) {
        return Optional.ofNullable(all().get(path));
    }
}
