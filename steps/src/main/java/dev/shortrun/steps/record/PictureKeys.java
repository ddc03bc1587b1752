package dev.shortrun.steps.record;

import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The image series a run's picture belongs to, for MLflow's image layout: pictures named {@code <kind>-iter-N.png}
 * in a step's artifact folder form the series {@code <folder>/<kind>} (e.g. {@code samples/fresh},
 * {@code diagnose/longrun-energy}), stepped by the checkpoint's iteration; {@code iter-N.png} (the training's sample
 * grids) and {@code <folder>-iter-N.png} form the series {@code <folder>} ({@code samples}, {@code density}).
 */
public final class PictureKeys {
    private static final Pattern ITERATION = Pattern.compile("(?:^|-)iter-(\\d+)\\.png$");

    private PictureKeys() {
    }

    /** The series of picture {@code png} logged under artifact folder {@code folder} ("" = none). */
    public static String of(String folder, Path png) {
        String name = png.getFileName().toString();
        String kind = ITERATION.matcher(name).replaceFirst("").replaceFirst("\\.png$", "");
        String key = kind.isEmpty() || kind.equals(folder) ? folder : folder.isEmpty() ? kind : folder + "/" + kind;
        key = key.replaceAll("[^A-Za-z0-9_\\-./ ]", "_");
        return key.isEmpty() ? "pictures" : key;
    }

    /** The iteration a picture's name gives ({@code iter-000100.png} -> 100), if any. */
    public static OptionalLong iteration(Path png) {
        Matcher m = ITERATION.matcher(png.getFileName().toString());
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }
}
