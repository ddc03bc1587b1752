package dev.shortrun.steps.settings;

import java.math.BigDecimal;

/**
 * An interval of allowed numbers, e.g. {@code (0, 1]}.
 */
public record Range(double low, boolean lowIncluded, double high, boolean highIncluded) {
    public static final Range POSITIVE = new Range(0, false, Double.POSITIVE_INFINITY, false);
    public static final Range NON_NEGATIVE = new Range(0, true, Double.POSITIVE_INFINITY, false);
    public static final Range DECAY_FACTOR = new Range(0, false, 1, true);
    public static final Range FRACTION = new Range(0, true, 1, false);
    public static final Range ANY = new Range(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false);

    public boolean contains(double x) {
        return (lowIncluded ? x >= low : x > low) && (highIncluded ? x <= high : x < high);
    }

    /** "> 0", ">= 0", "in (0, 1]". */
    public String describe() {
        if (Double.isInfinite(high)) {
            return (lowIncluded ? ">= " : "> ") + format(low);
        }
        return "in " + (lowIncluded ? "[" : "(") + format(low) + ", " + format(high) + (highIncluded ? "]" : ")");
    }

    /**
     * A number as text, the same for every way of writing it (1e-4, 0.0001): plain decimals between 0.001 and
     * 1e7, scientific notation outside, no trailing zeros. This text is what runs record and hash.
     */
    public static String format(double x) {
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
