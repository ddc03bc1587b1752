package dev.shortrun.model.data;

import dev.shortrun.model.io.InputLimits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

/** Locating and reading source files with messages that say what was looked for. */
final class Sources {
    private Sources() {}

    /** The first candidate that exists in {@code dir}, else an error naming the directory and all candidates. */
    static Path find(String dataset, Path dir, String... candidates) {
        if (!Files.isDirectory(dir)) {
            throw new DataFormatException(dataset + ": directory " + dir + " does not exist (looked for "
                    + String.join(" or ", candidates) + ")");
        }
        for (String name : candidates) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) return p;
        }
        throw new DataFormatException(dataset + ": none of " + String.join(", ", candidates) + " found in " + dir);
    }

    /** The whole file, at most {@link InputLimits#MAX_DATA_FILE_BYTES} (checked before reading). */
    static byte[] readAll(Path file) {
        try {
            return InputLimits.readDataFile(file);
        } catch (IOException e) {
            throw new DataFormatException(String.valueOf(e.getMessage()).startsWith(file.toString()) ? e.getMessage()
                    : file + ": cannot read (" + e + ")", e);
        }
    }

    /** {@link InputLimits#arrayLength} of square images, as a data format error. */
    static int arrayLength(String source, long count, int channels, int side) {
        try {
            return InputLimits.arrayLength(source, count, channels, side, side);
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(e.getMessage(), e);
        }
    }

    /** MD5 of the files' raw bytes, concatenated in the given order. */
    static String md5(List<Path> files) {
        MessageDigest md5 = Md5.newDigest();
        for (Path file : files) {
            md5.update(readAll(file));
        }
        return Md5.hex(md5);
    }

    static String split(String split) {
        if (!"train".equals(split) && !"test".equals(split)) {
            throw new IllegalArgumentException("split must be 'train' or 'test', got '" + split + "'");
        }
        return split;
    }
}
