package dev.shortrun.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A temp folder of this process's own, {@code <java.io.tmpdir>/shortrun-tmp-<pid>}, made the JVM's
 * {@code java.io.tmpdir} before anything uses it, and deleted when the process ends. Embedded Flink unpacks a 22 MB
 * {@code flink-rpc-akka_*.jar}, a {@code minicluster_*} folder and a {@code flink-web-upload} folder into the temp
 * folder on every start and does not always remove them, and Beam zips class folders there to stage them: a nightly
 * sweep filled a disk. The folders of processes that were killed (kill -9: no shutdown hook runs) are deleted by the
 * next shortrun that starts; a folder is only ever deleted when it holds this class's marker file and its process is
 * gone.
 */
final class ProcessTempDir {
    static final String MARKER = ".shortrun-process-temp";
    private static final Pattern NAME = Pattern.compile("shortrun-tmp-(\\d+)");
    private static Path installed;

    private ProcessTempDir() {
    }

    /** Installs the folder once per JVM (later calls return it); null when it cannot be made (then nothing changes). */
    static synchronized Path install() {
        if (installed != null) {
            return installed;
        }
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        removeStale(base);
        Path mine = base.resolve("shortrun-tmp-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(mine);
            Files.writeString(mine.resolve(MARKER), "temp folder of shortrun process " + ProcessHandle.current().pid()
                    + "; deleted when it ends, or by the next shortrun once it is gone\n");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteAtExit(mine), "shortrun-temp-folder"));
        } catch (IOException | IllegalStateException e) {
            return null; // a read-only temp folder: run as before rather than not at all
        }
        System.setProperty("java.io.tmpdir", mine.toString());
        installed = mine;
        return mine;
    }

    /** Deletes the marked folders in {@code base} whose processes have ended; returns how many. */
    static int removeStale(Path base) {
        if (!Files.isDirectory(base)) {
            return 0;
        }
        try (Stream<Path> entries = Files.list(base)) {
            List<Path> stale = entries.filter(ProcessTempDir::isStale).toList();
            stale.forEach(ProcessTempDir::deleteTree);
            return stale.size();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    private static boolean isStale(Path dir) {
        Matcher m = NAME.matcher(dir.getFileName().toString());
        return m.matches() && Files.isRegularFile(dir.resolve(MARKER))
                && ProcessHandle.of(Long.parseLong(m.group(1))).map(h -> !h.isAlive()).orElse(true);
    }

    /**
     * Deletes this process's folder at exit. Embedded Flink's own shutdown hooks run at the same time and may still
     * write into it (its blob store, the RPC jar), so the tree is walked again for up to 5 s until it is gone.
     */
    private static void deleteAtExit(Path dir) {
        for (int attempt = 0; attempt < 50 && Files.exists(dir); attempt++) {
            deleteTree(dir);
            if (Files.exists(dir)) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: what is left is deleted by the next shortrun, once this process is gone
        }
    }
}
