package dev.shortrun.model.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Single entry point for the image data sets. */
public final class Datasets {
    private static final List<String> NAMES = List.of("mnist", "fashion-mnist", "cifar10", "folder");

    private Datasets() {}

    public static List<String> names() {
        return NAMES;
    }

    /**
     * Loads {@code split} ("train" or "test") of data set {@code name} from {@code dir}, as square images
     * of side {@code imageSize}, keeping the first {@code cap} examples ({@code cap <= 0}: all).
     *
     * <p>mnist / fashion-mnist: {@link IdxReader} on {@code dir} (28x28 kept as is when imageSize is 28).
     * cifar10: {@link Cifar10Reader}. folder: {@link ImageFolderReader} on {@code dir/split} when that
     * sub-folder exists, else on {@code dir} itself (a plain folder of images has no splits).
     */
    public static ImageDataset load(String name, Path dir, String split, int imageSize, int cap) {
        ImageDataset data = switch (String.valueOf(name)) {
            case "mnist", "fashion-mnist" -> IdxReader.load(name, dir, split, imageSize);
            case "cifar10" -> Cifar10Reader.load(dir, split, imageSize);
            case "folder" -> {
                Path sub = dir.resolve(Sources.split(split));
                yield ImageFolderReader.load(Files.isDirectory(sub) ? sub : dir, imageSize);
            }
            default -> throw new IllegalArgumentException(
                    "unknown data set '" + name + "'; allowed: " + String.join(", ", NAMES));
        };
        return data.cap(cap);
    }
}
