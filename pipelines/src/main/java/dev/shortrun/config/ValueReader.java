package dev.shortrun.config;

import dev.shortrun.steps.settings.Default;
import dev.shortrun.steps.settings.DefaultContext;
import dev.shortrun.steps.settings.Range;
import dev.shortrun.steps.settings.Setting;
import dev.shortrun.steps.settings.SettingsReader;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads typed, checked values of declared settings out of {@link Settings} (a spec file with its overrides),
 * falling back to the declared defaults, and records every value read as text: the run's params. Each error names
 * where the bad value was written (file and line, or the {@code --set} argument or flag).
 */
final class ValueReader implements SettingsReader {
    private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9][0-9_]*");
    private static final Pattern NUMBER = Pattern.compile("[-+]?([0-9][0-9_]*)?(\\.[0-9_]*)?([eE][-+]?[0-9]+)?");

    private final Settings settings;
    private final DefaultContext context;
    private final SortedMap<String, String> params = new TreeMap<>();

    ValueReader(Settings settings, DefaultContext context) {
        this.settings = settings;
        this.context = context;
    }

    /** Every value read so far, as text, by key path. */
    SortedMap<String, String> params() {
        return params;
    }

    @Override
    public DefaultContext context() {
        return context;
    }

    @Override
    public boolean isGiven(Setting<?> setting) {
        return settings.given(setting.path()) != null;
    }

    /** Where the value of {@code key} was written, or where it would have gone. */
    Where where(String key) {
        SpecNode node = settings.given(key);
        return node != null ? node.where() : settings.whereMissing(key);
    }

    @Override
    public SpecException error(Setting<?> setting, String problem) {
        return error(setting.path(), problem);
    }

    SpecException error(String key, String problem) {
        return new SpecException(where(key), key, problem);
    }

    @Override
    public <T> T get(Setting<T> setting) {
        SpecNode node = settings.given(setting.path());
        if (node != null) {
            return record(setting, parse(setting, node));
        }
        Default<T> fallback = setting.fallback();
        if (fallback instanceof Default.Value<T> v) {
            return record(setting, check(setting, v.value(), where(setting.path())));
        }
        if (fallback instanceof Default.Computed<T> c) {
            return record(setting, check(setting, c.compute().apply(context), where(setting.path())));
        }
        if (fallback instanceof Default.Unset<T>) {
            return null;
        }
        if (fallback instanceof Default.Derived<T> d) {
            throw new IllegalStateException(setting.path() + " follows other settings (" + d.describe()
                    + "): read it with get(setting, fallback)");
        }
        throw error(setting, "missing required key" + (setting.names().isEmpty() ? ""
                : "; allowed values: " + String.join(", ", setting.names())));
    }

    @Override
    public <T> T get(Setting<T> setting, T fallback) {
        SpecNode node = settings.given(setting.path());
        T value = node != null ? parse(setting, node) : check(setting, fallback, where(setting.path()));
        return record(setting, value);
    }

    @Override
    public <T> T getIfGiven(Setting<T> setting) {
        SpecNode node = settings.given(setting.path());
        return node == null ? null : record(setting, parse(setting, node));
    }

    private <T> T record(Setting<T> setting, T value) {
        if (value != null) {
            params.put(setting.path(), setting.format(value));
        }
        return value;
    }

    /** The given value as the setting's type, checked against its declaration. */
    @SuppressWarnings("unchecked")
    private <T> T parse(Setting<T> setting, SpecNode node) {
        String key = setting.path();
        Object value = switch (setting.type()) {
            case INTEGER -> parseInteger(key, scalar(key, node, "an integer"));
            case NUMBER -> parseNumber(key, scalar(key, node, "a number"));
            case CHOICE -> scalar(key, node, "one of " + String.join(", ", setting.names())).text();
            case TEXT -> scalar(key, node, "a text value").text();
            case PATH -> node.where().baseDir().resolve(scalar(key, node, "a directory path").text())
                    .toAbsolutePath().normalize().toString();
            case INTEGER_LIST -> integers(setting, node);
            case NAME_LIST -> names(setting, node);
        };
        if (setting.type() == Setting.Type.INTEGER && !setting.wide()) {
            long v = (Long) value;
            checkIntegerBounds(setting, v, node.where());
            value = (int) v;
        }
        return check(setting, (T) value, node.where());
    }

    /** The declaration's bounds, allowed values and ranges; defaults are held to them as well. */
    private <T> T check(Setting<T> setting, T value, Where where) {
        String key = setting.path();
        switch (setting.type()) {
            case INTEGER -> checkIntegerBounds(setting, ((Number) value).longValue(), where);
            case NUMBER -> {
                double x = (Double) value;
                if (!setting.range().contains(x)) {
                    throw new SpecException(where, key, "must be " + setting.range().describe() + ", found "
                            + Range.format(x));
                }
            }
            case CHOICE -> {
                if (!setting.names().contains((String) value)) {
                    throw new SpecException(where, key, "unknown value '" + value + "'; allowed: "
                            + String.join(", ", setting.names()));
                }
            }
            default -> {
                // lists are checked item by item while parsing; text and paths take any value
            }
        }
        return value;
    }

    private static void checkIntegerBounds(Setting<?> setting, long value, Where where) {
        if (!setting.allowedIntegers().isEmpty()) {
            if (!setting.allowedIntegers().contains(value)) {
                throw new SpecException(where, setting.path(), "must be one of " + setting.allowedIntegers().stream()
                        .map(String::valueOf).collect(Collectors.joining(", ")) + ", found " + value);
            }
            return;
        }
        long min = setting.min();
        long max = setting.max();
        if (value < min || value > max) {
            throw new SpecException(where, setting.path(), "must be " + (max == Long.MAX_VALUE
                    || max == Integer.MAX_VALUE ? ">= " + min : "in [" + min + ", " + max + "]") + ", found " + value);
        }
    }

    /** A list of integers; a single value counts as a one-element list. */
    private List<Integer> integers(Setting<?> setting, SpecNode node) {
        String key = setting.path();
        List<Integer> values = new ArrayList<>();
        for (SpecNode item : items(node)) {
            long value = parseInteger(key, scalar(key, item, "an integer"));
            if (value < setting.min() || value > setting.max()) {
                throw new SpecException(item.where(), key, "every value must be " + (setting.max() == Integer.MAX_VALUE
                        ? ">= " + setting.min() : "in [" + setting.min() + ", " + setting.max() + "]") + ", found "
                        + value);
            }
            values.add((int) value);
        }
        if (values.isEmpty()) {
            throw new SpecException(node.where(), key, "needs at least one value");
        }
        return values;
    }

    /** Distinct names out of the setting's allowed ones; a single name counts as a one-element list. */
    private List<String> names(Setting<?> setting, SpecNode node) {
        String key = setting.path();
        String what = setting.leaf().endsWith("s") ? setting.leaf().substring(0, setting.leaf().length() - 1)
                : setting.leaf();
        List<String> values = new ArrayList<>();
        for (SpecNode item : items(node)) {
            String name = scalar(key, item, "a name").text();
            if (!setting.names().contains(name)) {
                throw new SpecException(item.where(), key, "unknown " + what + " '" + name + "'; known "
                        + setting.leaf() + ": " + String.join(", ", setting.names()));
            }
            if (values.contains(name)) {
                throw new SpecException(item.where(), key, what + " '" + name + "' is listed twice");
            }
            values.add(name);
        }
        return values;
    }

    /** A number written anywhere in a spec (sweep bounds, for one). */
    static double numberOf(String key, SpecNode node) {
        return parseNumber(key, scalar(key, node, "a number"));
    }

    private static List<SpecNode> items(SpecNode node) {
        return node instanceof SpecNode.Sequence seq ? seq.items() : List.of(node);
    }

    private static SpecNode.Scalar scalar(String key, SpecNode node, String expected) {
        if (node instanceof SpecNode.Scalar s && !s.isNull()) {
            return s;
        }
        throw new SpecException(node.where(), key, "expected " + expected + ", found " + node.shown());
    }

    private static long parseInteger(String key, SpecNode.Scalar s) {
        String text = s.text().trim();
        try {
            if (INTEGER.matcher(text).matches()) {
                return Long.parseLong(text.replace("_", ""));
            }
            // 1e5 is a fine way to write 100000; 64.5 is not an integer.
            if (NUMBER.matcher(text).matches() && text.matches(".*[0-9].*")) {
                BigDecimal exact = new BigDecimal(text.replace("_", ""));
                return exact.longValueExact();
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // falls through to the error below
        }
        throw new SpecException(s.where(), key, "expected an integer, found '" + s.text() + "'");
    }

    private static double parseNumber(String key, SpecNode.Scalar s) {
        String text = s.text().trim();
        if (NUMBER.matcher(text).matches() && text.matches("[^eE]*[0-9].*")) {
            double value = Double.parseDouble(text.replace("_", ""));
            if (Double.isFinite(value)) {
                return value;
            }
        }
        throw new SpecException(s.where(), key, "expected a number, found '" + s.text() + "'");
    }

    /** A number as text, as runs record it ({@link Range#format}). */
    static String format(double x) {
        return Range.format(x);
    }
}
