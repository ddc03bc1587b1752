package dev.shortrun.steps.settings;

import java.util.function.Function;

/**
 * What a setting is when a spec does not give it.
 *
 * @param <T> the setting's value type
 */
public sealed interface Default<T> {
    /** How the default reads in {@code --help} and the settings reference. */
    String describe();

    /** A fixed value. */
    record Value<T>(T value, String text) implements Default<T> {
        @Override
        public String describe() {
            return text;
        }
    }

    /** A value that depends on the run (2D toy or images, the dataset, the training K or seed, ...). */
    record Computed<T>(String text, Function<DefaultContext, T> compute) implements Default<T> {
        @Override
        public String describe() {
            return text;
        }
    }

    /**
     * A value that follows other settings of the same unit (k_min follows K), computed where the unit resolves
     * them: read with {@link SettingsReader#get(Setting, Object)}.
     */
    record Derived<T>(String text) implements Default<T> {
        @Override
        public String describe() {
            return text;
        }
    }

    /** No default: a spec must give it. */
    record Required<T>() implements Default<T> {
        @Override
        public String describe() {
            return "required";
        }
    }

    /**
     * Absent unless given, and then nothing is recorded for it: a run without it keeps its params and hash (for
     * settings added after runs were named, or that only switch a variant on). {@code text} says what absence means.
     */
    record Unset<T>(String text) implements Default<T> {
        @Override
        public String describe() {
            return text;
        }
    }
}
