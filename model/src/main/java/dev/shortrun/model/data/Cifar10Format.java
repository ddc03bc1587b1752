package dev.shortrun.model.data;

import java.nio.file.Path;
import java.util.List;

/** CIFAR-10's binary version ({@link Cifar10Reader}): 32x32 RGB, data_batch_1..5 and test_batch. */
final class Cifar10Format implements ImageFormat {
    @Override
    public String name() {
        return Cifar10Reader.DATASET;
    }

    @Override
    public String description() {
        return "CIFAR-10 binary batches (data_batch_1..5.bin, test_batch.bin, or the *.first761.bin sample)";
    }

    @Override
    public int channels() {
        return 3;
    }

    @Override
    public ImageDataset read(Path dir, String split, int imageSize, int cap) {
        return Cifar10Reader.load(dir, split, imageSize).cap(cap);
    }

    /** MD5 of the chosen batch files' bytes, in batch order. */
    @Override
    public String sourceMd5(Path dir, String split) {
        List<Path> files = Cifar10Reader.batches(split).stream().map(b -> Cifar10Reader.find(dir, b)).toList();
        return Sources.md5(files);
    }
}
