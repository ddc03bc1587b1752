package dev.shortrun.config;

import dev.shortrun.steps.RunOrigin;
import dev.shortrun.steps.RunSpec;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The names MLflow's UI shows for a sweep's points: the swept values first ({@code lr=3e-4 K=20 #1a2b3c}: the leaf of
 * each swept key, or the pipeline's name for a sweep over pipelines, then the start of the spec hash), so a table
 * that cuts names still shows what differs. When two labels would still start alike over
 * {@value RunOrigin#DISTINCT_PREFIX} characters (many axes), every label starts with its point's number instead.
 */
final class RunLabels {
    private RunLabels() {
    }

    /** One label per point, in order. */
    static List<String> of(List<RunSpec> points) {
        Set<String> leaves = new HashSet<>();
        Set<String> clashing = new HashSet<>();
        for (String key : points.get(0).sweepPoint().keySet()) {
            if (!leaves.add(leaf(key))) {
                clashing.add(leaf(key));
            }
        }
        List<String> labels = new ArrayList<>();
        for (RunSpec run : points) {
            List<String> parts = new ArrayList<>();
            for (Map.Entry<String, String> e : run.sweepPoint().entrySet()) {
                String key = e.getKey();
                parts.add(key.equals(SweepReader.PIPELINE_AXIS) ? e.getValue()
                        : (clashing.contains(leaf(key)) ? key : leaf(key)) + "=" + compact(e.getValue()));
            }
            parts.add("#" + run.specHash().substring(0, 6));
            labels.add(String.join(" ", parts));
        }
        if (distinctPrefixes(labels)) {
            return labels;
        }
        int width = Integer.toString(labels.size()).length();
        List<String> numbered = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            numbered.add(String.format("p%0" + width + "d %s", i + 1, labels.get(i)));
        }
        return numbered;
    }

    private static boolean distinctPrefixes(List<String> labels) {
        Set<String> prefixes = new HashSet<>();
        for (String label : labels) {
            if (!prefixes.add(label.substring(0, Math.min(label.length(), RunOrigin.DISTINCT_PREFIX)))) {
                return false;
            }
        }
        return true;
    }

    private static String leaf(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    /** A number in few characters ({@code 1.0E-4} -> {@code 1e-4}, {@code 0.150} -> {@code 0.15}); text as it is. */
    static String compact(String value) {
        BigDecimal number;
        try {
            number = new BigDecimal(value);
        } catch (NumberFormatException | NullPointerException e) {
            return value;
        }
        if (number.signum() == 0) {
            return "0";
        }
        BigDecimal rounded = number.round(new MathContext(3)).stripTrailingZeros();
        double magnitude = rounded.abs().doubleValue();
        if (magnitude >= 1e-3 && magnitude < 1e5) {
            return rounded.toPlainString();
        }
        int exponent = rounded.precision() - rounded.scale() - 1;
        return rounded.movePointLeft(exponent).stripTrailingZeros().toPlainString() + "e" + exponent;
    }
}
