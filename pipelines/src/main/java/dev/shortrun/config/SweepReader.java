package dev.shortrun.config;

import dev.shortrun.steps.Objective;
import dev.shortrun.steps.settings.LearnerSettings;
import dev.shortrun.steps.settings.Setting;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Reads a sweep file and expands its axes into points: grid (cartesian product) x zip (point-wise) x random
 * (seeded draws) x seeds, in that nesting order, so the expansion is the same every time. {@code base} names one
 * pipeline spec, or a list of them: then every point runs on every base (bases outermost), which sweeps whole
 * configurations that differ in many keys (the Anatomy toys: convergent vs non-convergent) without repeating them.
 */
final class SweepReader {
    private static final List<String> TOP = List.of("base", "name", "description", "max_concurrency", "set", "axes",
            "objective", "regression");
    private static final List<String> OBJECTIVE = List.of("metric", "direction", "checkpoint");
    private static final List<String> AXES = List.of("grid", "zip", "random", "seeds");
    private static final List<String> RANDOM = List.of("count", "seed", "params");
    private static final List<String> DISTRIBUTIONS = List.of("uniform", "log_uniform", "choice");

    /** The swept "key" that names a point's pipeline spec when {@code base} lists several. */
    static final String PIPELINE_AXIS = "pipeline";

    /**
     * A sweep as written.
     *
     * @param baseFiles the pipeline specs the sweep varies (one, or several swept as {@link #PIPELINE_AXIS})
     * @param fixed     the {@code set} overrides applied to every point
     * @param sweptKeys key paths the axes vary, in axis order
     * @param points    one map of key path -> value per point
     * @param objective what makes a point the best, or null when the sweep names none
     * @param regression what must not get worse than a baseline, or null when the sweep names nothing
     */
    record SweepFile(String name, String description, int maxConcurrency, List<Path> baseFiles,
                     Map<String, SpecNode> fixed, List<String> sweptKeys, List<Map<String, SpecNode>> points,
                     Objective objective, Regression regression) {
    }

    private SweepReader() {
    }

    static SweepFile read(Path file) {
        SpecNode.Mapping root = YamlReader.readFile(file);
        checkKeys(root, "", TOP);
        List<Path> baseFiles = baseFiles(root);
        String name = textAt(root, "name", stem(file));
        String description = textAt(root, "description", "");
        int maxConcurrency = 1;
        SpecNode.Entry concurrency = root.entries().get("max_concurrency");
        if (concurrency != null) {
            double value = ValueReader.numberOf("max_concurrency", concurrency.value());
            if (value != Math.rint(value) || value < 1 || value > Integer.MAX_VALUE) {
                throw new SpecException(concurrency.value().where(), "max_concurrency",
                        "must be an integer >= 1, found " + ValueReader.format(value));
            }
            maxConcurrency = (int) value;
        }
        Map<String, SpecNode> fixed = keyedValues(root, "set");

        List<String> swept = new ArrayList<>(baseFiles.size() > 1 ? List.of(PIPELINE_AXIS) : List.of());
        List<Map<String, SpecNode>> points = List.of(new LinkedHashMap<>());
        SpecNode.Mapping axes = mappingAt(root, "axes");
        if (axes != null) {
            checkKeys(axes, "axes", AXES);
            points = cross(points, grid(keyedValues(axes, "grid")), swept);
            points = cross(points, zip(axes), swept);
            points = cross(points, random(axes), swept);
            points = cross(points, seeds(axes), swept);
        }
        for (String key : swept) {
            if (fixed.containsKey(key)) {
                throw new SpecException(fixed.get(key).where(), key, "is swept by the axes; it cannot also be in set");
            }
        }
        Objective objective = objective(root);
        return new SweepFile(name, description, maxConcurrency, baseFiles, fixed, List.copyOf(swept), points,
                objective, RegressionReader.read(root, file, objective));
    }

    /**
     * {@code objective: {metric: kl_true_kde, direction: min, checkpoint: last}}: what ranks the points (direction
     * min by default, at each run's last checkpoint by default); absent, the sweep has no best point.
     */
    private static Objective objective(SpecNode.Mapping root) {
        SpecNode.Mapping map = mappingAt(root, "objective");
        if (map == null) {
            return null;
        }
        checkKeys(map, "objective", OBJECTIVE);
        SpecNode.Scalar metric = scalarAt(map, "metric", "the metric that ranks the points, e.g. kl_true_kde",
                false);
        if (metric == null || metric.text().isBlank()) {
            throw new SpecException(map.where(), "objective.metric", "missing required key: the metric that ranks "
                    + "the points (a step's, e.g. kl_true_kde or fid, or f_diff, grad_norm, seconds_per_iteration)");
        }
        return new Objective(metric.text().trim(), choiceAt(map, "objective.direction", Objective.DIRECTIONS, "min"),
                choiceAt(map, "objective.checkpoint", Objective.CHECKPOINTS, "last"));
    }

    /** One of {@code allowed} at {@code path} (its last part is the key in {@code map}), else {@code fallback}. */
    static String choiceAt(SpecNode.Mapping map, String path, List<String> allowed, String fallback) {
        String key = path.substring(path.lastIndexOf('.') + 1);
        SpecNode.Scalar scalar = scalarAt(map, key, "one of " + String.join(", ", allowed), false);
        if (scalar == null) {
            return fallback;
        }
        if (!allowed.contains(scalar.text())) {
            throw new SpecException(scalar.where(), path, "must be one of " + String.join(", ", allowed) + ", found '"
                    + scalar.text() + "'");
        }
        return scalar.text();
    }

    /** A sweep expands to at most {@link SpecLimits#MAX_SWEEP_POINTS} runs; checked before it is expanded. */
    static void requireFewPoints(long points, Where where) {
        if (points > SpecLimits.MAX_SWEEP_POINTS) {
            throw new SpecException(where, "axes", "the sweep would expand to " + points + " runs; a sweep may have "
                    + "at most " + SpecLimits.MAX_SWEEP_POINTS + " (split it, or sample with axes.random)");
        }
    }

    /** {@code base: file.yaml} or {@code base: [a.yaml, b.yaml]}, relative to the sweep file, each named once. */
    private static List<Path> baseFiles(SpecNode.Mapping root) {
        SpecNode.Entry entry = root.entries().get("base");
        String what = "the path of the pipeline spec to sweep, or a list of them";
        if (entry == null || entry.value() instanceof SpecNode.Scalar s && s.isNull()) {
            throw new SpecException(root.where(), "base", "missing required key: " + what);
        }
        List<SpecNode> items = entry.value() instanceof SpecNode.Sequence seq ? seq.items() : List.of(entry.value());
        if (items.isEmpty()) {
            throw new SpecException(entry.value().where(), "base", "needs at least one pipeline spec");
        }
        List<Path> files = new ArrayList<>();
        for (SpecNode item : items) {
            if (!(item instanceof SpecNode.Scalar scalar) || scalar.isNull()) {
                throw new SpecException(item.where(), "base", "expected " + what + ", found " + item.shown());
            }
            Path file = root.where().baseDir().resolve(scalar.text()).normalize();
            if (files.stream().anyMatch(f -> stem(f).equals(stem(file)))) {
                throw new SpecException(item.where(), "base", "names " + stem(file) + " twice; each pipeline "
                        + "spec names its runs, so list each once");
            }
            files.add(file);
        }
        return List.copyOf(files);
    }

    /** Every outer point combined with every inner one (outer varies slowest); no key may be swept twice. */
    private static List<Map<String, SpecNode>> cross(List<Map<String, SpecNode>> outer,
                                                     List<Map<String, SpecNode>> inner, List<String> swept) {
        if (inner.isEmpty()) {
            return outer;
        }
        requireFewPoints((long) outer.size() * inner.size(), inner.get(0).values().iterator().next().where());
        for (Map.Entry<String, SpecNode> e : inner.get(0).entrySet()) {
            if (swept.contains(e.getKey())) {
                throw new SpecException(e.getValue().where(), e.getKey(), "is swept by two axes; sweep each key once");
            }
            swept.add(e.getKey());
        }
        List<Map<String, SpecNode>> points = new ArrayList<>();
        for (Map<String, SpecNode> o : outer) {
            for (Map<String, SpecNode> i : inner) {
                Map<String, SpecNode> point = new LinkedHashMap<>(o);
                point.putAll(i);
                points.add(point);
            }
        }
        return points;
    }

    private static List<Map<String, SpecNode>> grid(Map<String, SpecNode> axes) {
        List<Map<String, SpecNode>> points = axes.isEmpty() ? List.of() : List.of(new LinkedHashMap<>());
        for (Map.Entry<String, SpecNode> axis : axes.entrySet()) {
            requireFewPoints((long) points.size() * values(axis.getKey(), axis.getValue()).size(),
                    axis.getValue().where());
            List<Map<String, SpecNode>> next = new ArrayList<>();
            for (Map<String, SpecNode> point : points) {
                for (SpecNode value : values(axis.getKey(), axis.getValue())) {
                    Map<String, SpecNode> extended = new LinkedHashMap<>(point);
                    extended.put(axis.getKey(), value);
                    next.add(extended);
                }
            }
            points = next;
        }
        return points;
    }

    private static List<Map<String, SpecNode>> zip(SpecNode.Mapping axes) {
        Map<String, SpecNode> lists = keyedValues(axes, "zip");
        List<Map<String, SpecNode>> points = new ArrayList<>();
        String firstKey = null;
        for (Map.Entry<String, SpecNode> axis : lists.entrySet()) {
            List<SpecNode> values = values(axis.getKey(), axis.getValue());
            if (firstKey == null) {
                firstKey = axis.getKey();
                values.forEach(v -> points.add(new LinkedHashMap<>()));
            } else if (values.size() != points.size()) {
                throw new SpecException(axis.getValue().where(), "axes.zip." + axis.getKey(), "has " + values.size()
                        + " values but axes.zip." + firstKey + " has " + points.size()
                        + "; zipped lists must have equal length");
            }
            for (int i = 0; i < values.size(); i++) {
                points.get(i).put(axis.getKey(), values.get(i));
            }
        }
        return points;
    }

    private static List<Map<String, SpecNode>> random(SpecNode.Mapping axes) {
        SpecNode.Mapping random = mappingAt(axes, "random");
        if (random == null) {
            return List.of();
        }
        checkKeys(random, "axes.random", RANDOM);
        SpecNode.Entry countEntry = random.entries().get("count");
        if (countEntry == null) {
            throw new SpecException(random.where(), "axes.random.count",
                    "missing required key: how many points to draw");
        }
        double count = ValueReader.numberOf("axes.random.count", countEntry.value());
        if (count != Math.rint(count) || count < 1 || count > 100_000) {
            throw new SpecException(countEntry.value().where(), "axes.random.count",
                    "must be an integer in [1, 100000], found " + ValueReader.format(count));
        }
        SpecNode.Entry seedEntry = random.entries().get("seed");
        long seed = 1;
        if (seedEntry != null) {
            double value = ValueReader.numberOf("axes.random.seed", seedEntry.value());
            if (value != Math.rint(value) || Math.abs(value) > 1e15) {
                throw new SpecException(seedEntry.value().where(), "axes.random.seed", "expected an integer, found "
                        + ValueReader.format(value));
            }
            seed = (long) value;
        }
        Map<String, SpecNode> params = keyedValues(random, "params");
        if (params.isEmpty()) {
            throw new SpecException(random.where(), "axes.random.params", "missing required key: the keys to draw");
        }
        Random rng = new Random(seed); // java.util.Random's sequence is fixed by its spec: same seed, same draws
        List<Map<String, SpecNode>> points = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, SpecNode> point = new LinkedHashMap<>();
            params.forEach((key, distribution) -> point.put(key, draw(key, distribution, rng)));
            points.add(point);
        }
        return points;
    }

    private static SpecNode draw(String key, SpecNode distribution, Random rng) {
        String path = "axes.random.params." + key;
        if (!(distribution instanceof SpecNode.Mapping map) || map.entries().size() != 1) {
            throw new SpecException(distribution.where(), path, "expected one of {uniform: [lo, hi]}, "
                    + "{log_uniform: [lo, hi]}, {choice: [...]}, found " + distribution.shown());
        }
        checkKeys(map, path, DISTRIBUTIONS);
        SpecNode.Entry entry = map.entries().values().iterator().next();
        List<SpecNode> values = values(key, entry.value());
        if (entry.key().equals("choice")) {
            return values.get(rng.nextInt(values.size()));
        }
        Setting.Type type = SpecKeys.setting(key).type();
        if (type != Setting.Type.INTEGER && type != Setting.Type.NUMBER) {
            throw new SpecException(entry.where(), path, entry.key() + " needs a numeric key; use choice for "
                    + key);
        }
        if (values.size() != 2) {
            throw new SpecException(entry.value().where(), path + "." + entry.key(),
                    "expected [lo, hi], found " + values.size() + " values");
        }
        double low = ValueReader.numberOf(key, values.get(0));
        double high = ValueReader.numberOf(key, values.get(1));
        boolean log = entry.key().equals("log_uniform");
        if (!(low < high) || (log && !(low > 0))) {
            throw new SpecException(entry.value().where(), path + "." + entry.key(),
                    "need " + (log ? "0 < lo < hi" : "lo < hi") + ", found [" + ValueReader.format(low) + ", "
                            + ValueReader.format(high) + "]");
        }
        double u = rng.nextDouble();
        double x = log ? Math.exp(Math.log(low) + u * (Math.log(high) - Math.log(low))) : low + u * (high - low);
        String text = type == Setting.Type.INTEGER ? Long.toString(Math.round(x)) : Double.toString(x);
        return new SpecNode.Scalar(text, false, entry.where());
    }

    private static List<Map<String, SpecNode>> seeds(SpecNode.Mapping axes) {
        SpecNode.Entry entry = axes.entries().get("seeds");
        if (entry == null) {
            return List.of();
        }
        List<Map<String, SpecNode>> points = new ArrayList<>();
        for (SpecNode seed : values(LearnerSettings.SEED.path(), entry.value())) {
            Map<String, SpecNode> point = new LinkedHashMap<>();
            point.put(LearnerSettings.SEED.path(), seed);
            points.add(point);
        }
        return points;
    }

    /** The values of one axis: a non-empty list. */
    private static List<SpecNode> values(String key, SpecNode node) {
        if (!(node instanceof SpecNode.Sequence seq)) {
            throw new SpecException(node.where(), key, "expected a list of values to sweep, found " + node.shown());
        }
        if (seq.items().isEmpty()) {
            throw new SpecException(node.where(), key, "needs at least one value");
        }
        return seq.items();
    }

    /** A mapping of pipeline key paths (set, grid, zip, params); every key path must be a pipeline key. */
    private static Map<String, SpecNode> keyedValues(SpecNode.Mapping parent, String key) {
        SpecNode.Mapping map = mappingAt(parent, key);
        Map<String, SpecNode> values = new LinkedHashMap<>();
        if (map == null) {
            return values;
        }
        for (SpecNode.Entry entry : map.entries().values()) {
            SpecKeys.requireKey(entry.key(), entry.where());
            values.put(entry.key(), entry.value());
        }
        return values;
    }

    static void checkKeys(SpecNode.Mapping map, String path, List<String> allowed) {
        for (SpecNode.Entry entry : map.entries().values()) {
            if (!allowed.contains(entry.key())) {
                String keyPath = path.isEmpty() ? entry.key() : path + "." + entry.key();
                String hint = SpecKeys.closest(entry.key(), allowed).map(k -> "did you mean `" + k + "`?")
                        .orElse("allowed: " + String.join(", ", allowed));
                throw new SpecException(entry.where(), keyPath, "unknown key; " + hint);
            }
        }
    }

    static SpecNode.Mapping mappingAt(SpecNode.Mapping parent, String key) {
        SpecNode.Entry entry = parent.entries().get(key);
        if (entry == null || entry.value() instanceof SpecNode.Scalar s && s.isNull()) {
            return null;
        }
        if (!(entry.value() instanceof SpecNode.Mapping map)) {
            throw new SpecException(entry.value().where(), key, "expected a mapping, found " + entry.value().shown());
        }
        return map;
    }

    static SpecNode.Scalar scalarAt(SpecNode.Mapping parent, String key, String what, boolean required) {
        SpecNode.Entry entry = parent.entries().get(key);
        if (entry == null || entry.value() instanceof SpecNode.Scalar s && s.isNull()) {
            if (required) {
                throw new SpecException(parent.where(), key, "missing required key: " + what);
            }
            return null;
        }
        if (!(entry.value() instanceof SpecNode.Scalar scalar)) {
            throw new SpecException(entry.value().where(), key, "expected " + what + ", found "
                    + entry.value().shown());
        }
        return scalar;
    }

    private static String textAt(SpecNode.Mapping parent, String key, String fallback) {
        SpecNode.Scalar scalar = scalarAt(parent, key, "a text value", false);
        return scalar == null ? fallback : scalar.text();
    }

    static String stem(Path file) {
        String name = file.getFileName().toString();
        return name.replaceFirst("\\.ya?ml$", "").replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
