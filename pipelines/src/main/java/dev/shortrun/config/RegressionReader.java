package dev.shortrun.config;

import dev.shortrun.steps.Objective;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a sweep's {@code regression:} section:
 * <pre>
 * regression:
 *   baseline: baselines/regression-toys.json   # the committed baseline compare uses by default
 *   alpha: 0.05                                # family-wise false-alarm level of the mean tests
 *   checks:
 *     - {metric: kl_true_kde, direction: min, tolerance: 0.05, seeds: mean}
 *     - {metric: kl_true_learned, tolerance: 25%}
 * </pre>
 * A check's direction defaults to the objective's when it checks the objective's metric, else to min; its tolerance
 * to 0; its seeds to mean.
 */
final class RegressionReader {
    private static final List<String> KEYS = List.of("baseline", "alpha", "checks");
    private static final List<String> CHECK_KEYS = List.of("metric", "direction", "tolerance", "seeds");

    private RegressionReader() {
    }

    /** The section, or null when the sweep has none. */
    static Regression read(SpecNode.Mapping root, Path sweepFile, Objective objective) {
        SpecNode.Mapping map = SweepReader.mappingAt(root, "regression");
        if (map == null) {
            return null;
        }
        SweepReader.checkKeys(map, "regression", KEYS);
        SpecNode.Scalar baseline = SweepReader.scalarAt(map, "baseline", "the path of a baseline file", false);
        Path baselineFile = baseline == null ? null
                : sweepFile.toAbsolutePath().getParent().resolve(baseline.text().trim()).normalize();
        double alpha = Regression.DEFAULT_ALPHA;
        SpecNode.Entry alphaEntry = map.entries().get("alpha");
        if (alphaEntry != null) {
            alpha = ValueReader.numberOf("regression.alpha", alphaEntry.value());
            if (!(alpha > 0 && alpha <= 0.5)) {
                throw new SpecException(alphaEntry.value().where(), "regression.alpha", "must be in (0, 0.5] (the "
                        + "false-alarm level, e.g. 0.05), found " + ValueReader.format(alpha));
            }
        }
        SpecNode.Entry checksEntry = map.entries().get("checks");
        if (checksEntry == null || !(checksEntry.value() instanceof SpecNode.Sequence seq) || seq.items().isEmpty()) {
            throw new SpecException(checksEntry == null ? map.where() : checksEntry.value().where(),
                    "regression.checks", "expected a non-empty list of checks, e.g. "
                    + "- {metric: kl_true_kde, direction: min, tolerance: 0.05, seeds: mean}");
        }
        List<Regression.Check> checks = new ArrayList<>();
        for (SpecNode item : seq.items()) {
            checks.add(check(item, objective, checks));
        }
        return new Regression(baselineFile, alpha, checks);
    }

    private static Regression.Check check(SpecNode item, Objective objective, List<Regression.Check> earlier) {
        String path = "regression.checks[" + earlier.size() + "]";
        if (!(item instanceof SpecNode.Mapping map)) {
            throw new SpecException(item.where(), path, "expected a mapping such as {metric: kl_true_kde, "
                    + "tolerance: 0.05}, found " + item.shown());
        }
        SweepReader.checkKeys(map, path, CHECK_KEYS);
        SpecNode.Scalar metricNode = SweepReader.scalarAt(map, "metric", "the metric to check, e.g. kl_true_kde",
                true);
        String metric = metricNode.text().trim();
        if (metric.isEmpty()) {
            throw new SpecException(metricNode.where(), path + ".metric", "must name a metric, e.g. kl_true_kde");
        }
        if (earlier.stream().anyMatch(c -> c.metric().equals(metric))) {
            throw new SpecException(metricNode.where(), path + ".metric", "'" + metric + "' is checked twice");
        }
        String fallback = objective != null && objective.metric().equals(metric) ? objective.direction() : "min";
        String direction = SweepReader.choiceAt(map, path + ".direction", Objective.DIRECTIONS, fallback);
        String seeds = SweepReader.choiceAt(map, path + ".seeds", Regression.SEEDS, "mean");
        return new Regression.Check(metric, direction, tolerance(map, path), seeds);
    }

    /** {@code tolerance: 0.05} (absolute) or {@code tolerance: 25%} (of the baseline's value); 0 when absent. */
    private static Regression.Tolerance tolerance(SpecNode.Mapping map, String path) {
        SpecNode.Scalar node = SweepReader.scalarAt(map, "tolerance", "an amount (0.05) or a percentage (25%)",
                false);
        if (node == null) {
            return new Regression.Tolerance(0, false);
        }
        String text = node.text().trim();
        boolean relative = text.endsWith("%");
        String number = relative ? text.substring(0, text.length() - 1).trim() : text;
        double amount;
        try {
            amount = Double.parseDouble(number);
        } catch (NumberFormatException e) {
            amount = Double.NaN;
        }
        if (!(amount >= 0) || Double.isInfinite(amount)) {
            throw new SpecException(node.where(), path + ".tolerance", "expected an amount >= 0 (0.05) or a "
                    + "percentage (25%), found '" + text + "'");
        }
        return new Regression.Tolerance(relative ? amount / 100 : amount, relative);
    }
}
