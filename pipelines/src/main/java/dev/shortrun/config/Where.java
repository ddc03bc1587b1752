package dev.shortrun.config;

import java.nio.file.Path;

/**
 * Where a value was written: a line of a spec file, or a {@code --set} argument. Relative paths in the value
 * resolve against {@code baseDir} (the spec file's directory, or the working directory for {@code --set}).
 *
 * @param source  the file as given, or the command-line argument as typed ({@code --set key=value}, a flag)
 * @param line    1-based line in the file; 0 for {@code --set}
 * @param baseDir directory that relative paths in this value are relative to
 */
public record Where(String source, int line, Path baseDir) {
    static Where inFile(Path file, int line) {
        Path dir = file.toAbsolutePath().getParent();
        return new Where(file.toString(), line, dir);
    }

    boolean isOverride() {
        return line == 0;
    }

    /** {@code file:line}, or the {@code --set} argument. */
    @Override
    public String toString() {
        return isOverride() ? source : source + ":" + line;
    }
}
