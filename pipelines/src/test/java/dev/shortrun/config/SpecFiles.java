package dev.shortrun.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Shared helpers: the repository root, a loader with a fixed environment, and spec files written on the fly. */
final class SpecFiles {
    private SpecFiles() {
    }

    /** The repository root (surefire passes it; running from the module directory, it is the parent). */
    static Path root() {
        String root = System.getProperty("shortrun.root");
        return root != null ? Path.of(root) : Path.of("..").toAbsolutePath().normalize();
    }

    /** A loader that sees no MLFLOW_TRACKING_URI and writes under {@code workingDir}. */
    static SpecLoader loader(Path workingDir) {
        return new SpecLoader(Map.of(), workingDir);
    }

    static Path write(Path dir, String name, String yaml) {
        try {
            Path file = dir.resolve(name);
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
