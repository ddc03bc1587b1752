package dev.shortrun.model.data;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data sets shortrun knows, in the order help texts list them. Adding one: a class implementing
 * {@link ImageFormat} or {@link ToyDistribution} and one line in {@link #ALL}; specs, {@code --dataset}, the data
 * cache and validation messages then know it by its name.
 */
public final class DatasetFormats {
    private static final List<DatasetFormat> ALL = List.of(
            new IdxFormat("mnist", "MNIST digits, IDX files (train-images-idx3-ubyte[.gz], ...; t10k-* for test)"),
            new IdxFormat("fashion-mnist", "Fashion-MNIST, IDX files as mnist (Debian: dataset-fashion-mnist)"),
            new Cifar10Format(),
            new ImageFolderFormat(),
            new GaussianMixtureToy(),
            new RingsToy());

    private DatasetFormats() {
    }

    public static List<DatasetFormat> all() {
        return ALL;
    }

    /** Every registered name, in registration order. */
    public static List<String> names() {
        return ALL.stream().map(DatasetFormat::name).toList();
    }

    /** Names of the image data sets (read from files). */
    public static List<String> imageNames() {
        return ALL.stream().filter(f -> !f.isToy()).map(DatasetFormat::name).toList();
    }

    /** Names of the 2D toys. */
    public static List<String> toyNames() {
        return ALL.stream().filter(DatasetFormat::isToy).map(DatasetFormat::name).toList();
    }

    /** Name to one-line description, in registration order (for help texts and docs). */
    public static Map<String, String> descriptions() {
        Map<String, String> out = new LinkedHashMap<>();
        ALL.forEach(f -> out.put(f.name(), f.description()));
        return out;
    }

    /**
     * The data set called {@code name}.
     *
     * @throws IllegalArgumentException naming the registered data sets when there is none of that name
     */
    public static DatasetFormat get(String name) {
        return ALL.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown dataset '" + name + "' (registered: "
                        + String.join(", ", names()) + ")"));
    }

    /** The image data set called {@code name}; an error names the image data sets when it is a toy or unknown. */
    public static ImageFormat image(String name) {
        if (get(name) instanceof ImageFormat image) {
            return image;
        }
        throw new IllegalArgumentException("dataset " + name + " is a 2D toy, not an image data set (image data "
                + "sets: " + String.join(", ", imageNames()) + ")");
    }

    /** The 2D toy called {@code name}; an error names the toys when it is an image data set or unknown. */
    public static ToyDistribution toy(String name) {
        if (get(name) instanceof ToyDistribution toy) {
            return toy;
        }
        throw new IllegalArgumentException("dataset " + name + " is not a 2D toy (toys: "
                + String.join(", ", toyNames()) + ")");
    }
}
