package dev.shortrun.model.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * PNG/JPEG trees ({@link ImageFolderReader}: centre crop, resize) such as CelebA, LSUN or Oxford Flowers exports:
 * {@code dir/<split>} when that sub-folder exists, else {@code dir} itself (a plain folder of images has no splits).
 */
final class ImageFolderFormat implements ImageFormat {
    @Override
    public boolean locationIsIdentity() {
        return true; // a folder has no name of its own: its path says which images it is
    }

    @Override
    public String name() {
        return ImageFolderReader.DATASET;
    }

    @Override
    public String description() {
        return "a folder of PNG/JPEG images (recursive; DIR/train and DIR/test when present), centre-cropped, RGB";
    }

    @Override
    public int channels() {
        return 3;
    }

    @Override
    public ImageDataset read(Path dir, String split, int imageSize, int cap) {
        return ImageFolderReader.load(root(dir, split), imageSize).cap(cap);
    }

    /** The MD5 of its {@code contentMd5} manifest: each image's relative path and the MD5 of its bytes. */
    @Override
    public String sourceMd5(Path dir, String split) {
        Path root = root(dir, split);
        StringBuilder manifest = new StringBuilder();
        for (String rel : ImageFolderReader.list(root)) {
            manifest.append(rel).append('\t').append(Md5.hex(Sources.readAll(root.resolve(rel)))).append('\n');
        }
        return Md5.hex(manifest.toString());
    }

    private static Path root(Path dir, String split) {
        Path sub = dir.resolve(Sources.split(split));
        return Files.isDirectory(sub) ? sub : dir;
    }
}
