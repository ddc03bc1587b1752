package dev.shortrun.config;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads typed, range-checked values out of {@link Settings}, falling back to defaults, and records every resolved
 * value as text (the run's params). Each error names where the bad value was written.
 */
final class ValueReader {
    private static final Pattern INTEGER = Pattern.compile("[-+]?[0-9][0-9_]*");
    private static final Pattern NUMBER = Pattern.compile("[-+]?([0-9][0-9_]*)?(\\.[0-9_]*)?([eE][-+]?[0-9]+)?");

    /** An interval of allowed numbers, e.g. {@code (0, 1]}. */
    record Range(double low, boolean lowIncluded, double high, boolean highIncluded) {
        static final Range POSITIVE = new Range(0, false, Double.POSITIVE_INFINITY, false);
        static final Range NON_NEGATIVE = new Range(0, true, Double.POSITIVE_INFINITY, false);
        static final Range DECAY_FACTOR = new Range(0, false, 1, true);
        static final Range FRACTION = new Range(0, true, 1, false);

        boolean contains(double x) {
            return (lowIncluded ? x >= low : x > low) && (highIncluded ? x <= high : x < high);
        }

        String describe() {
            if (Double.isInfinite(high)) {
                return (lowIncluded ? ">= " : "> ") + format(low);
            }
            return "in " + (lowIncluded ? "[" : "(") + format(low) + ", " + format(high) + (highIncluded ? "]" : ")");
        }
    }

    private final Settings settings;
    private final SortedMap<String, String> params = new TreeMap<>();

    ValueReader(Settings settings) {
        this.settings = settings;
    }

    /** Every value read so far, as text, by key path. */
    SortedMap<String, String> params() {
        return params;
    }

    boolean isGiven(String key) {
        return settings.given(key) != null;
    }

    /** Where the value of {@code key} was written, or where it would have gone. */
    Where where(String key) {
        SpecNode node = settings.given(key);
        return node != null ? node.where() : settings.whereMissing(key);
    }

    SpecException error(String key, String problem) {
        return new SpecException(where(key), key, problem);
    }

    long integer(String key, long fallback, long min, long max) {
        SpecNode node = settings.given(key);
        long value = node == null ? fallback : parseInteger(key, scalar(key, node, "an integer"));
        if (value < min || value > max) {
            throw error(key, "must be " + (max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? ">= " + min
                    : "in [" + min + ", " + max + "]") + ", found " + value);
        }
        params.put(key, Long.toString(value));
        return value;
    }

    int integer(String key, int fallback, int min) {
        return (int) integer(key, fallback, min, Integer.MAX_VALUE);
    }

    /** An integer that must be one of a few values (e.g. image sizes). */
    int integerChoice(String key, int fallback, List<Integer> allowed) {
        int value = (int) integer(key, fallback, Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (!allowed.contains(value)) {
            throw error(key, "must be one of " + allowed.stream().map(String::valueOf)
                    .collect(Collectors.joining(", ")) + ", found " + value);
        }
        return value;
    }

    double number(String key, double fallback, Range range) {
        SpecNode node = settings.given(key);
        double value = node == null ? fallback : parseNumber(key, scalar(key, node, "a number"));
        if (!range.contains(value)) {
            throw error(key, "must be " + range.describe() + ", found " + format(value));
        }
        params.put(key, format(value));
        return value;
    }

    /** One of a fixed set of names; {@code fallback} null makes the key required. */
    String choice(String key, String fallback, List<String> allowed) {
        SpecNode node = settings.given(key);
        if (node == null && fallback == null) {
            throw error(key, "missing required key; allowed values: " + String.join(", ", allowed));
        }
        String value = node == null ? fallback : scalar(key, node, "one of " + String.join(", ", allowed)).text();
        if (!allowed.contains(value)) {
            throw error(key, "unknown value '" + value + "'; allowed: " + String.join(", ", allowed));
        }
        params.put(key, value);
        return value;
    }

    /** Free text; null when absent and {@code fallback} is null (then nothing is recorded). */
    String text(String key, String fallback) {
        SpecNode node = settings.given(key);
        String value = node == null ? fallback : scalar(key, node, "a text value").text();
        if (value != null) {
            params.put(key, value);
        }
        return value;
    }

    /** A path, made absolute against the directory of whatever set it (spec file, or working dir for --set). */
    String path(String key) {
        SpecNode node = settings.given(key);
        if (node == null) {
            return null;
        }
        String text = scalar(key, node, "a directory path").text();
        Path base = node.where().baseDir();
        String value = base.resolve(text).toAbsolutePath().normalize().toString();
        params.put(key, value);
        return value;
    }

    /** A list of integers; a single value counts as a one-element list. */
    List<Integer> integers(String key, List<Integer> fallback, int min) {
        SpecNode node = settings.given(key);
        List<Integer> values = new ArrayList<>();
        if (node == null) {
            values.addAll(fallback);
        } else {
            for (SpecNode item : items(node)) {
                long value = parseInteger(key, scalar(key, item, "an integer"));
                if (value < min || value > Integer.MAX_VALUE) {
                    throw new SpecException(item.where(), key, "every value must be >= " + min + ", found " + value);
                }
                values.add((int) value);
            }
            if (values.isEmpty()) {
                throw error(key, "needs at least one value");
            }
        }
        params.put(key, values.stream().map(String::valueOf).collect(Collectors.joining(",")));
        return values;
    }

    /** A list of names, each one of {@code allowed}, no repeats; a single name counts as a one-element list. */
    List<String> names(String key, List<String> fallback, Collection<String> allowed) {
        SpecNode node = settings.given(key);
        List<String> values = new ArrayList<>();
        if (node == null) {
            values.addAll(fallback);
        } else {
            for (SpecNode item : items(node)) {
                String name = scalar(key, item, "a name").text();
                if (!allowed.contains(name)) {
                    throw new SpecException(item.where(), key, "unknown step '" + name + "'; known steps: "
                            + String.join(", ", allowed.stream().sorted().toList()));
                }
                if (values.contains(name)) {
                    throw new SpecException(item.where(), key, "step '" + name + "' is listed twice");
                }
                values.add(name);
            }
        }
        params.put(key, String.join(",", values));
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

    /**
     * A number as text, the same for every way of writing it (1e-4, 0.0001): plain decimals between 0.001 and
     * 1e7, scientific notation outside, no trailing zeros.
     */
    static String format(double x) {
        double magnitude = Math.abs(x);
        if (x == 0) {
            return "0";
        }
        if (magnitude >= 1e-3 && magnitude < 1e7) {
            return BigDecimal.valueOf(x).stripTrailingZeros().toPlainString();
        }
        return Double.toString(x);
    }
}
