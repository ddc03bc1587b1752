package dev.shortrun.steps.settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A group of settings under one name in a spec ({@code sampler:}, {@code score:}, or the top level), declared by
 * the unit that owns them: the training units, each pipeline step, tracking, runner and resources.
 */
public final class Section {
    private final String name;
    private final String description;
    private final boolean hashed;
    private final List<Setting<?>> settings = new ArrayList<>();

    /**
     * @param name        the key in a spec ({@code ""} for top-level keys)
     * @param description one line for the settings reference
     * @param hashed      whether its settings decide what a run computes (and so name it), unless a setting says
     *                    otherwise
     */
    public Section(String name, String description, boolean hashed) {
        this.name = name;
        this.description = description;
        this.hashed = hashed;
    }

    /** Declares a setting of this section. */
    public <T> Setting<T> add(Setting.Builder<T> declaration) {
        Setting<T> setting = declaration.build(name, hashed);
        if (settings.stream().anyMatch(s -> s.path().equals(setting.path()))) {
            throw new IllegalStateException("setting " + setting.path() + " declared twice");
        }
        settings.add(setting);
        return setting;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public List<Setting<?>> settings() {
        return Collections.unmodifiableList(settings);
    }
}
