package dev.shortrun.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every key a pipeline spec may hold, as dotted paths ({@code learner.lr}), with the kind of value each takes.
 * Unknown keys are errors with a suggestion, so a typo never silently falls back to a default.
 */
final class SpecKeys {
    /** The kind of value a key takes; ranges and allowed names are checked when the run is resolved. */
    enum Type { INTEGER, NUMBER, TEXT, INTEGER_LIST, TEXT_LIST }

    private static final Map<String, Type> KEYS = new LinkedHashMap<>();

    static {
        key("name", Type.TEXT);
        key("description", Type.TEXT);
        key("dataset.name", Type.TEXT);
        key("dataset.dir", Type.TEXT);
        key("dataset.split", Type.TEXT);
        key("dataset.image_size", Type.INTEGER);
        key("dataset.cap", Type.INTEGER);
        key("model.architecture", Type.TEXT);
        key("model.n_f", Type.INTEGER);
        key("model.activation", Type.TEXT);
        key("model.slope", Type.NUMBER);
        key("sampler.K", Type.INTEGER);
        key("sampler.k_min", Type.INTEGER);
        key("sampler.k_max", Type.INTEGER);
        key("sampler.step_size", Type.NUMBER);
        key("sampler.noise_std", Type.NUMBER);
        key("sampler.init", Type.TEXT);
        key("sampler.init_scale", Type.NUMBER);
        key("sampler.bank_size", Type.INTEGER);
        key("sampler.epsilon", Type.NUMBER);
        key("sampler.tau", Type.INTEGER);
        key("sampler.lowres_size", Type.INTEGER);
        key("learner.iterations", Type.INTEGER);
        key("learner.batch", Type.INTEGER);
        key("learner.seed", Type.INTEGER);
        key("learner.optimizer", Type.TEXT);
        key("learner.lr", Type.NUMBER);
        key("learner.lr_decay_after", Type.INTEGER);
        key("learner.lr_decay", Type.NUMBER);
        key("learner.lr_min", Type.NUMBER);
        key("learner.gamma0", Type.NUMBER);
        key("learner.gamma0_min", Type.NUMBER);
        key("learner.beta1", Type.NUMBER);
        key("learner.beta2", Type.NUMBER);
        key("learner.adam_eps", Type.NUMBER);
        key("learner.sigma", Type.NUMBER);
        key("learner.sigma_decay_after", Type.INTEGER);
        key("learner.sigma_decay", Type.NUMBER);
        key("learner.sigma_min", Type.NUMBER);
        key("learner.divergence_bound", Type.NUMBER);
        key("checkpoints.every", Type.INTEGER);
        key("checkpoints.grid_every", Type.INTEGER);
        key("steps", Type.TEXT_LIST);
        key("sample.n", Type.INTEGER);
        key("sample.k_values", Type.INTEGER_LIST);
        key("sample.seed", Type.INTEGER);
        key("diagnose.steps", Type.INTEGER);
        key("diagnose.chains", Type.INTEGER);
        key("diagnose.sampler", Type.TEXT);
        key("diagnose.eps", Type.NUMBER);
        key("diagnose.from", Type.TEXT);
        key("diagnose.seed", Type.INTEGER);
        key("diagnose.checkpoints", Type.TEXT);
        key("score.n", Type.INTEGER);
        key("score.batch", Type.INTEGER);
        key("score.seed", Type.INTEGER);
        key("score.splits", Type.INTEGER);
        key("score.networks", Type.TEXT);
        key("score.reference_n", Type.INTEGER);
        key("score.inception_dir", Type.TEXT);
        key("score.lenet_dir", Type.TEXT);
        key("interpolate.pairs", Type.INTEGER);
        key("interpolate.points", Type.INTEGER);
        key("interpolate.seed", Type.INTEGER);
        key("reconstruct.n", Type.INTEGER);
        key("reconstruct.steps", Type.INTEGER);
        key("reconstruct.lr", Type.NUMBER);
        key("reconstruct.batch", Type.INTEGER);
        key("reconstruct.seed", Type.INTEGER);
        key("superres.low", Type.INTEGER);
        key("superres.n", Type.INTEGER);
        key("superres.seeds", Type.INTEGER);
        key("superres.seed", Type.INTEGER);
        key("tracking.mlflow_uri", Type.TEXT);
        key("tracking.experiment", Type.TEXT);
        key("tracking.trigger", Type.TEXT);
        key("runner.kind", Type.TEXT);
        key("runner.flink_master", Type.TEXT);
        key("resources.parallelism", Type.INTEGER);
        key("resources.threads_per_worker", Type.INTEGER);
        key("resources.device", Type.TEXT);
        key("output", Type.TEXT);
    }

    private SpecKeys() {
    }

    private static void key(String path, Type type) {
        KEYS.put(path, type);
    }

    static boolean isKey(String path) {
        return KEYS.containsKey(path);
    }

    static Type type(String path) {
        return KEYS.get(path);
    }

    /** Top-level names that hold a mapping of keys (dataset, model, ...). */
    static boolean isSection(String name) {
        return !KEYS.containsKey(name) && KEYS.keySet().stream().anyMatch(k -> k.startsWith(name + "."));
    }

    /** The keys directly under {@code section} ("" for the top level), without the section prefix. */
    static List<String> childrenOf(String section) {
        List<String> children = new ArrayList<>();
        for (String path : KEYS.keySet()) {
            String rest = section.isEmpty() ? path : path.startsWith(section + ".")
                    ? path.substring(section.length() + 1) : null;
            if (rest == null) {
                continue;
            }
            String child = rest.contains(".") ? rest.substring(0, rest.indexOf('.')) : rest;
            if (!children.contains(child)) {
                children.add(child);
            }
        }
        return children;
    }

    /** Throws unless {@code path} is a key that takes a value (not a section). */
    static void requireKey(String path, Where where) {
        if (!isKey(path)) {
            throw new SpecException(where, path, unknownKeyProblem(path));
        }
    }

    /** "unknown key; did you mean `x`?", or the allowed keys when nothing is close. */
    static String unknownKeyProblem(String path) {
        if (isSection(path)) {
            return "is a section, not a setting; set one of its keys: " + String.join(", ", childrenOf(path));
        }
        int dot = path.lastIndexOf('.');
        String section = dot < 0 ? "" : path.substring(0, dot);
        String leaf = path.substring(dot + 1);
        if (!section.isEmpty() && !isSection(section)) {
            return unknownKeyProblem(section).replace("unknown key", "unknown section `" + section + "`");
        }
        Optional<String> near = closest(leaf, childrenOf(section));
        if (near.isEmpty()) {
            // The right name in the wrong section, e.g. learner.K for sampler.K.
            near = closest(leaf, KEYS.keySet(), k -> k.substring(k.lastIndexOf('.') + 1));
        }
        if (near.isPresent()) {
            return "unknown key; did you mean `" + near.get() + "`?";
        }
        return "unknown key; allowed " + (section.isEmpty() ? "at the top level" : "in " + section) + ": "
                + String.join(", ", childrenOf(section));
    }

    /** The candidate nearest to {@code word} by edit distance, if it is close enough to be a likely typo. */
    static Optional<String> closest(String word, Collection<String> candidates) {
        return closest(word, candidates, c -> c);
    }

    private static Optional<String> closest(String word, Collection<String> candidates,
                                            java.util.function.Function<String, String> nameOf) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = editDistance(word.toLowerCase(Locale.ROOT), nameOf.apply(candidate).toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        int allowed = Math.max(1, Math.min(3, word.length() / 3));
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** Edit distance counting insertions, deletions, substitutions and swaps of neighbours ("grdi" -> "grid"). */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
