package dev.shortrun.model.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
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

    /**
     * A fingerprint of the source files {@link #load} would read for {@code name}/{@code split}, computed from
     * their raw bytes without decoding (a fraction of a second for MNIST): the MD5 of the files' raw bytes in
     * reading order (IDX: image file then label file, as stored, gzip or not; CIFAR-10: the chosen batch files
     * in batch order); for {@code folder} the same manifest as its {@code contentMd5} (relative path and MD5 of
     * each image file). It identifies the source, not the decoding: it changes whenever a source byte does, and
     * it does not depend on {@code imageSize} or {@code cap}. Missing files fail as in {@link #load}.
     */
    public static String sourceMd5(String name, Path dir, String split) {
        switch (String.valueOf(name)) {
            case "mnist", "fashion-mnist", "cifar10" -> {
                MessageDigest md5 = Md5.newDigest();
                for (Path file : sourceFiles(name, dir, split)) {
                    md5.update(Sources.readAll(file));
                }
                return Md5.hex(md5);
            }
            case "folder" -> {
                Path sub = dir.resolve(Sources.split(split));
                Path root = Files.isDirectory(sub) ? sub : dir;
                StringBuilder manifest = new StringBuilder();
                for (String rel : ImageFolderReader.list(root)) {
                    manifest.append(rel).append('\t').append(Md5.hex(Sources.readAll(root.resolve(rel)))).append('\n');
                }
                return Md5.hex(manifest.toString());
            }
            default -> throw new IllegalArgumentException(
                    "unknown data set '" + name + "'; allowed: " + String.join(", ", NAMES));
        }
    }

    /** The IDX or CIFAR-10 files {@link #load} reads, in reading order (same look-up as the readers). */
    static List<Path> sourceFiles(String name, Path dir, String split) {
        List<Path> files = new ArrayList<>();
        if (name.equals("cifar10")) {
            if (Sources.split(split).equals("train")) {
                for (int n = 1; n <= 5; n++) {
                    files.add(Sources.find(name, dir, "data_batch_" + n + ".bin", "data_batch_" + n + ".first761.bin"));
                }
            } else {
                files.add(Sources.find(name, dir, "test_batch.bin", "test_batch.first761.bin"));
            }
        } else {
            String prefix = Sources.split(split).equals("train") ? "train" : "t10k";
            for (String kind : List.of("-images-idx3-ubyte", "-labels-idx1-ubyte")) {
                files.add(Sources.find(name, dir, prefix + kind, prefix + kind + ".gz"));
            }
        }
        return files;
    }
}
