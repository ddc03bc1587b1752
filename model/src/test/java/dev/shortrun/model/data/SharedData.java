package dev.shortrun.model.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates /work/shared/data through the {@code shortrun.shared} system property set by surefire. */
final class SharedData {
    private SharedData() {}

    static Path dir(String sub) {
        String shared = System.getProperty("shortrun.shared");
        assertTrue(shared != null, "system property shortrun.shared is not set (surefire sets it; run through Maven)");
        Path p = Path.of(shared, "data", sub).normalize();
        assertTrue(Files.isDirectory(p), "shared test data missing: " + p);
        return p;
    }
}
