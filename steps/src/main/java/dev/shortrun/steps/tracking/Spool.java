package dev.shortrun.steps.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tracker's files waiting for the server, one folder per run: copies of logged artifacts and spilled metric points.
 * It lives in a temporary directory of its own, created when first needed and deleted with everything in it at the
 * tracker's close: what never reached the server is then still in the run's own files, which the next run of the
 * pipeline logs again.
 */
final class Spool {
    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);
    private final Path parent;
    private Path dir;

    /** @param parent under which the spool directory is made; null = the system's temporary directory */
    Spool(Path parent) {
        this.parent = parent;
    }

    /** The folder of one run, created if need be. */
    synchronized Path runDir(String run) {
        try {
            if (dir == null) {
                // A directory of our own, so deleting it at close cannot touch anything else.
                dir = parent == null ? Files.createTempDirectory("shortrun-mlflow-spool-")
                        : Files.createTempDirectory(Files.createDirectories(parent), "shortrun-mlflow-spool-");
            }
            return Files.createDirectories(dir.resolve(run));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a spool directory for queued MLflow records", e);
        }
    }

    /** A copy of {@code file} in the run's folder, so the caller may change or delete its own at once. */
    Path copy(Path file, String run) {
        try {
            Path artifacts = Files.createDirectories(runDir(run).resolve("artifacts"));
            Path copy = Files.createTempFile(artifacts, "artifact-", ".bin");
            Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot queue artifact " + file + " for MLflow", e);
        }
    }

    /** Removes the spool directory; a leftover costs disk space only. */
    synchronized void delete() {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("could not delete {}", dir, e);
        }
        dir = null;
    }
}
