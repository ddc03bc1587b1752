package dev.shortrun.config;

import dev.shortrun.steps.settings.Setting;
import dev.shortrun.steps.settings.SettingsCatalog;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The keys a pipeline spec may hold, as dotted paths ({@code learner.lr}): exactly the declared settings
 * ({@link SettingsCatalog}). Unknown keys are errors with a suggestion, so a typo never silently falls back to a
 * default.
 */
final class SpecKeys {
    private SpecKeys() {
    }

    static boolean isKey(String path) {
        return SettingsCatalog.find(path).isPresent();
    }

    /** The declared setting at {@code path}; the path must be a key. */
    static Setting<?> setting(String path) {
        return SettingsCatalog.find(path).orElseThrow(() -> new IllegalArgumentException("not a key: " + path));
    }

    private static java.util.Set<String> keys() {
        return SettingsCatalog.all().keySet();
    }

    /** Top-level names that hold a mapping of keys (dataset, model, ...). */
    static boolean isSection(String name) {
        return !isKey(name) && keys().stream().anyMatch(k -> k.startsWith(name + "."));
    }

    /** The keys directly under {@code section} ("" for the top level), without the section prefix. */
    static List<String> childrenOf(String section) {
        List<String> children = new ArrayList<>();
        for (String path : keys()) {
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
            near = closest(leaf, keys(), k -> k.substring(k.lastIndexOf('.') + 1));
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
