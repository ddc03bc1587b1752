package dev.shortrun.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Locations the tests share: the project root and ../shared (set by surefire, with fallbacks for IDE runs). */
public final class TestSupport {
    private TestSupport() {
    }

    public static Path root() {
        String p = System.getProperty("shortrun.root");
        Path root = p != null ? Path.of(p) : Path.of("..").toAbsolutePath().normalize();
        if (!Files.isDirectory(root.resolve("infra"))) {
            throw new IllegalStateException("project root not found (looked at " + root + ")");
        }
        return root;
    }

    public static Path shared() {
        String p = System.getProperty("shortrun.shared");
        Path shared = p != null ? Path.of(p) : root().resolve("../shared").normalize();
        if (!Files.isDirectory(shared.resolve("data"))) {
            throw new IllegalStateException("../shared/data not found (looked at " + shared + ")");
        }
        return shared;
    }

    /** A folder of ../shared/data (mnist, cifar10-sample); fails clearly when it is missing. */
    public static Path sharedData(String sub) {
        Path p = shared().resolve("data").resolve(sub).normalize();
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("shared test data missing: " + p);
        }
        return p;
    }

    /**
     * The README has a table row {@code | `name` | description |} for every entry of a registry (name to its
     * one-line description), so the docs list what the code registers.
     */
    public static void assertReadmeTableRows(Map<String, String> descriptions) {
        String readme;
        try {
            readme = Files.readString(root().resolve("README.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        descriptions.forEach((name, line) -> {
            if (!readme.contains("| `" + name + "` | " + line + " |")) {
                throw new AssertionError("README.md has no row for " + name + ": | `" + name + "` | " + line + " |");
            }
        });
    }

    /** The Python with torch: Debian's python3-torch lives under /usr/bin/python3. */
    public static String python() {
        String p = System.getenv("SHORTRUN_PYTHON");
        return p != null ? p : (Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3");
    }
}
