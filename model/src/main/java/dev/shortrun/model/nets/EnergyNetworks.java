package dev.shortrun.model.nets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The energy networks shortrun knows, in the order help texts list them. Adding a network: a class implementing
 * {@link Architecture} and one line in {@link #ALL}; specs, {@code --architecture}, checkpoints and validation
 * messages then know it by its name.
 */
public final class EnergyNetworks {
    private static final List<Architecture> ALL = List.of(
            Architecture.CONV32,
            Architecture.CONV64,
            Architecture.CONV128,
            Architecture.TOY,
            Architecture.NONLOCAL32);

    private EnergyNetworks() {
    }

    public static List<Architecture> all() {
        return ALL;
    }

    /** The registered names, lower case, in registration order. */
    public static List<String> names() {
        return ALL.stream().map(Architecture::name).toList();
    }

    /** Name to one-line description, in registration order (for help texts and docs). */
    public static Map<String, String> descriptions() {
        Map<String, String> out = new LinkedHashMap<>();
        ALL.forEach(a -> out.put(a.name(), a.description()));
        return out;
    }

    /**
     * The network called {@code name}, in any case ({@code conv32}, or {@code CONV32} as checkpoints store it).
     *
     * @throws IllegalArgumentException naming the registered networks when there is none of that name
     */
    public static Architecture get(String name) {
        String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return ALL.stream().filter(a -> a.name().equals(key)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown architecture '" + name + "' (registered: "
                        + String.join(", ", names()) + ")"));
    }

    /** Image sizes the registered image networks take, ascending. */
    public static List<Integer> imageSizes() {
        return ALL.stream().filter(a -> !a.takesPoints()).map(Architecture::imageSize).distinct().sorted().toList();
    }

    /**
     * The network a run gets when it names none: the first registered one that takes 2D points ({@code points}) or
     * images of side {@code imageSize}.
     */
    public static Architecture defaultFor(boolean points, int imageSize) {
        return ALL.stream().filter(a -> a.takesPoints() == points && (points || a.imageSize() == imageSize))
                .findFirst().orElseThrow(() -> new IllegalArgumentException(points
                        ? "no energy network for 2D points is registered"
                        : "no energy network for image size " + imageSize + " (allowed: "
                        + String.join(", ", imageSizes().stream().map(String::valueOf).toList()) + ")"));
    }
}
