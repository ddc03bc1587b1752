package dev.shortrun.model.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * MNIST-format data sets ({@link IdxReader}): {@code train-*} or {@code t10k-*} image and label IDX files in a
 * folder, raw or gzipped; 28x28 grey images, kept as they are at image size 28, else resized.
 *
 * @param name        mnist, fashion-mnist, ...: also the key of its {@link KnownChecksums}
 * @param description one line for help texts
 */
record IdxFormat(String name, String description) implements ImageFormat {
    @Override
    public int channels() {
        return 1;
    }

    @Override
    public ImageDataset read(Path dir, String split, int imageSize, int cap) {
        return IdxReader.load(name, dir, split, imageSize).cap(cap);
    }

    /** MD5 of the image file then the label file, as stored (gzip or not). */
    @Override
    public String sourceMd5(Path dir, String split) {
        String prefix = Sources.split(split).equals("train") ? "train" : "t10k";
        List<Path> files = new ArrayList<>();
        for (String kind : List.of("-images-idx3-ubyte", "-labels-idx1-ubyte")) {
            files.add(Sources.find(name, dir, prefix + kind, prefix + kind + ".gz"));
        }
        return Sources.md5(files);
    }
}
