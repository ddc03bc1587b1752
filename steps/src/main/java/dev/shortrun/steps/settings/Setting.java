package dev.shortrun.steps.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The declaration of one setting: its key path ({@code sampler.K}), the kind of value it takes, its allowed values,
 * its default and its help text. Declared once, in the settings of the unit that owns it; the spec schema and its
 * error messages, {@code --set}, the commands' flags, the runs' MLflow params, the spec hash and the settings
 * reference are all derived from these declarations.
 *
 * @param <T> the value type: Integer, Long, Double, String (choice, text, path), List of Integer or String
 */
public final class Setting<T> {
    /** The kind of value a setting takes. */
    public enum Type {
        INTEGER("an integer"), NUMBER("a number"), CHOICE("a name"), TEXT("a text value"), PATH("a path"),
        INTEGER_LIST("a list of integers"), NAME_LIST("a list of names");

        private final String expected;

        Type(String expected) {
            this.expected = expected;
        }

        /** "an integer", as errors say what was expected. */
        public String expected() {
            return expected;
        }
    }

    private final String path;
    private final Type type;
    private final boolean wide;
    private final String help;
    private final Default<T> fallback;
    private final long min;
    private final long max;
    private final List<Long> allowedIntegers;
    private final Range range;
    private final Supplier<List<String>> names;
    private final List<String> flags;
    private final boolean hashed;

    private Setting(String path, Builder<T> b, boolean hashed) {
        this.path = path;
        this.type = b.type;
        this.wide = b.wide;
        this.help = b.help;
        this.fallback = b.fallback;
        this.min = b.min;
        this.max = b.max;
        this.allowedIntegers = List.copyOf(b.allowedIntegers);
        this.range = b.range;
        this.names = b.names;
        this.flags = b.flags.isEmpty() ? List.of("--" + b.leaf.replace('_', '-')) : List.copyOf(b.flags);
        this.hashed = b.hashed == null ? hashed : b.hashed;
    }

    /** The dotted key path, e.g. {@code sampler.K}. */
    public String path() {
        return path;
    }

    /** The key without its section, e.g. {@code K}. */
    public String leaf() {
        return path.substring(path.lastIndexOf('.') + 1);
    }

    public Type type() {
        return type;
    }

    public String help() {
        return help;
    }

    public Default<T> fallback() {
        return fallback;
    }

    /** Bounds of an integer (or of each integer of a list). */
    public long min() {
        return min;
    }

    public long max() {
        return max;
    }

    /** For integers that take one of a few values (image sizes): those values; else empty. */
    public List<Long> allowedIntegers() {
        return allowedIntegers;
    }

    /** Allowed interval of a number. */
    public Range range() {
        return range;
    }

    /** Allowed names of a choice or a name list (from a registry, so new entries appear without edits here). */
    public List<String> names() {
        return names == null ? List.of() : names.get();
    }

    /** Command-line flags of this setting on the commands that expose it, e.g. {@code --n-f} or {@code --K, -K}. */
    public List<String> flags() {
        return flags;
    }

    /** Whether the value decides what a run computes, and so is part of the run's hash (its name). */
    public boolean hashed() {
        return hashed;
    }

    /** An integer is stored as a long (iterations, seeds) rather than an int. */
    public boolean wide() {
        return wide;
    }

    /** What the value must be, for help text and error messages: "an integer >= 1", "one of adam, sgd". */
    public String constraint() {
        return switch (type) {
            case INTEGER, INTEGER_LIST -> (type == Type.INTEGER_LIST ? "integers" : "an integer")
                    + (!allowedIntegers.isEmpty() ? ", one of " + allowedIntegers.stream().map(String::valueOf)
                    .collect(Collectors.joining(", ")) : integerBounds());
            case NUMBER -> "a number " + range.describe();
            case CHOICE -> "one of " + String.join(", ", names());
            case NAME_LIST -> "a list of " + String.join(", ", names());
            case TEXT -> "text";
            case PATH -> "a path (relative to the file that gives it)";
        };
    }

    private String integerBounds() {
        boolean noMax = max == Long.MAX_VALUE || max == Integer.MAX_VALUE;
        boolean noMin = min == Long.MIN_VALUE || min == Integer.MIN_VALUE;
        if (noMin && noMax) {
            return "";
        }
        return noMax ? " >= " + min : " in [" + min + ", " + max + "]";
    }

    /** A value as the text that runs record (params) and hash. */
    public String format(Object value) {
        if (value instanceof Double d) {
            return Range.format(d);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).collect(Collectors.joining(","));
        }
        return String.valueOf(value);
    }

    @Override
    public String toString() {
        return path;
    }

    /** An integer setting (int). */
    public static Builder<Integer> integer(String leaf, String help) {
        return new Builder<Integer>(leaf, Type.INTEGER, help).bounds(Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** An integer setting stored as a long (iteration counts, seeds). */
    public static Builder<Long> longInteger(String leaf, String help) {
        Builder<Long> b = new Builder<Long>(leaf, Type.INTEGER, help).bounds(Long.MIN_VALUE, Long.MAX_VALUE);
        b.wide = true;
        return b;
    }

    public static Builder<Double> number(String leaf, String help) {
        return new Builder<>(leaf, Type.NUMBER, help);
    }

    /** One of a list of names ({@code names} is asked each time: registries may grow). */
    public static Builder<String> choice(String leaf, String help, Supplier<List<String>> names) {
        Builder<String> b = new Builder<>(leaf, Type.CHOICE, help);
        b.names = names;
        return b;
    }

    public static Builder<String> choice(String leaf, String help, List<String> names) {
        List<String> copy = List.copyOf(names);
        return choice(leaf, help, () -> copy);
    }

    public static Builder<String> text(String leaf, String help) {
        return new Builder<>(leaf, Type.TEXT, help);
    }

    /** A file system path; relative paths are relative to the spec file (or the working directory for flags). */
    public static Builder<String> path(String leaf, String help) {
        return new Builder<>(leaf, Type.PATH, help);
    }

    public static Builder<List<Integer>> integers(String leaf, String help) {
        return new Builder<List<Integer>>(leaf, Type.INTEGER_LIST, help).bounds(Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** A list of distinct names out of {@code names}. */
    public static Builder<List<String>> names(String leaf, String help, Supplier<List<String>> names) {
        Builder<List<String>> b = new Builder<>(leaf, Type.NAME_LIST, help);
        b.names = names;
        return b;
    }

    /** The parts of a declaration; {@link Section#add} makes the setting. */
    public static final class Builder<T> {
        private final String leaf;
        private final Type type;
        private final String help;
        private boolean wide;
        private Default<T> fallback = new Default.Required<>();
        private long min;
        private long max;
        private final List<Long> allowedIntegers = new ArrayList<>();
        private Range range = Range.ANY;
        private Supplier<List<String>> names;
        private final List<String> flags = new ArrayList<>();
        private Boolean hashed;

        private Builder(String leaf, Type type, String help) {
            this.leaf = leaf;
            this.type = type;
            this.help = help;
        }

        private Builder<T> bounds(long low, long high) {
            this.min = low;
            this.max = high;
            return this;
        }

        /** Integers: the smallest allowed value. */
        public Builder<T> min(long low) {
            this.min = low;
            return this;
        }

        /** Integers: allowed values in [low, high]. */
        public Builder<T> between(long low, long high) {
            return bounds(low, high);
        }

        /** Integers that take one of a few values. */
        public Builder<T> oneOf(long... values) {
            for (long v : values) {
                allowedIntegers.add(v);
            }
            return this;
        }

        /** Numbers: the allowed interval. */
        public Builder<T> range(Range allowed) {
            this.range = allowed;
            return this;
        }

        /** A fixed default, shown as {@code text} in help (for values whose formatting is not natural). */
        public Builder<T> defaultValue(T value) {
            String text = value instanceof Double d ? Range.format(d)
                    : value instanceof List<?> l ? l.stream().map(String::valueOf).collect(Collectors.joining(","))
                    : String.valueOf(value);
            this.fallback = new Default.Value<>(value, text.isEmpty() ? "none" : text);
            return this;
        }

        /** A default that depends on the run; {@code text} says how, e.g. "64 for images, 32 for 2D toys". */
        public Builder<T> defaultTo(String text, Function<DefaultContext, T> compute) {
            this.fallback = new Default.Computed<>(text, compute);
            return this;
        }

        /** A default the unit computes from its other settings; {@code text} says how, e.g. "K". */
        public Builder<T> derivedFrom(String text) {
            this.fallback = new Default.Derived<>(text);
            return this;
        }

        /** No value unless given; {@code meaning} says what absence means, e.g. "the training K". */
        public Builder<T> unset(String meaning) {
            this.fallback = new Default.Unset<>(meaning);
            return this;
        }

        /** Command-line flags instead of the one derived from the key ({@code n_f} -> {@code --n-f}). */
        public Builder<T> flags(String... names) {
            this.flags.addAll(List.of(names));
            return this;
        }

        /** Overrides the section's rule of whether the setting names the run (its hash). */
        public Builder<T> hashed(boolean decides) {
            this.hashed = decides;
            return this;
        }

        Setting<T> build(String sectionName, boolean sectionHashed) {
            if (!leaf.equals(leaf.toLowerCase(Locale.ROOT)) && !leaf.equals("K")) {
                throw new IllegalArgumentException("setting names are lower case: " + leaf);
            }
            return new Setting<>(sectionName.isEmpty() ? leaf : sectionName + "." + leaf, this, sectionHashed);
        }
    }
}
