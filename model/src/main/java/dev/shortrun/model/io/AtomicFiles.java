package dev.shortrun.model.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes files so that readers see either the old content or the complete new content, never a
 * half-written file (a crash mid-checkpoint must not destroy the previous checkpoint).
 */
public final class AtomicFiles {
    /** Temp files: {@code .<name>.<pid>-<random>.tmp}; before the pid was added, {@code .<name>.<random>.tmp}. */
    private static final Pattern TEMP = Pattern.compile("\\..+\\.(?:(\\d+)-)?\\d+\\.tmp");
    private static final long PID = ProcessHandle.current().pid();
    /**
     * Temp files being written now. A command's own shutdown hook deletes them once its last write is done
     * ({@link #deleteInFlight}); only kill -9 leaves them behind, for {@link #removeStale}. Not a hook of this class:
     * hooks run concurrently, and one here would delete the temp file of the stop handler's write of a run's state
     * (KILLED) before its rename, leaving the run RUNNING.
     */
    private static final Set<Path> IN_FLIGHT = ConcurrentHashMap.newKeySet();

    private AtomicFiles() {}

    /**
     * Runs {@code body} against a temp file next to {@code target}, fsyncs it and renames it over
     * the target. The temp file lives in the same directory so the rename stays on one file system
     * (a cross-device move could not be atomic).
     */
    public static void write(Path target, IOConsumer<OutputStream> body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + "." + PID + "-", ".tmp");
            IN_FLIGHT.add(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                // Not closing the wrapper ourselves: the channel is closed by try-with-resources,
                // but the buffer must be flushed before force().
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                body.accept(new NonClosing(out));
                out.flush();
                ch.force(true);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            IN_FLIGHT.remove(tmp);
            tmp = null;
        } catch (IOException | RuntimeException e) {
            throw failure(target, e);
        } finally {
            if (tmp != null) {
                IN_FLIGHT.remove(tmp);
                deleteQuietly(tmp); // the original failure is what matters to the caller
            }
        }
    }

    /**
     * Deletes the temp files of writes still in progress: for a command's shutdown hook, after its own writes, so that
     * a write cut short by the exit leaves nothing behind. Returns how many there were.
     */
    public static int deleteInFlight() {
        List<Path> left = List.copyOf(IN_FLIGHT);
        left.forEach(p -> {
            IN_FLIGHT.remove(p);
            deleteQuietly(p);
        });
        return left.size();
    }

    /** How many writes are in progress now (each leaves the set when it ends, however it ends). */
    static int inFlight() {
        return IN_FLIGHT.size();
    }

    /**
     * Deletes the temp files that writes interrupted by kill -9 left in {@code dir} and its sub-folders (two levels):
     * those of processes that are no longer running, and those named before temp names carried the process id. A
     * live process's temp files are left alone, whoever it is. Returns how many were deleted.
     */
    public static int removeStale(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir, 3)) {
            List<Path> stale = files.filter(AtomicFiles::isStaleTemp).toList();
            stale.forEach(AtomicFiles::deleteQuietly);
            return stale.size();
        } catch (IOException | UncheckedIOException e) {
            return 0; // a folder that cannot be listed will fail the run more clearly elsewhere
        }
    }

    private static boolean isStaleTemp(Path p) {
        Matcher m = TEMP.matcher(p.getFileName().toString());
        if (!m.matches() || !Files.isRegularFile(p)) {
            return false;
        }
        return m.group(1) == null || ProcessHandle.of(Long.parseLong(m.group(1))).map(h -> !h.isAlive()).orElse(true);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: removeStale finds it next time
        }
    }

    /** Writes {@code text} as UTF-8, atomically. */
    public static void writeString(Path target, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(target, out -> out.write(bytes));
    }

    /**
     * For callers that cannot throw IOException: the failure of {@link #write} unchecked, its message unchanged (it
     * already names the file and the cause).
     */
    public static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e.getMessage(), e);
    }

    private static IOException failure(Path target, Exception cause) {
        String msg = diskFull(cause)
                ? "cannot write " + target + ": disk is full (No space left on device)"
                : "cannot write " + target + ": " + cause.getMessage();
        return new IOException(msg, cause);
    }

    /** ENOSPC anywhere in the chain: writers such as ImageIO's wrap it in messages of their own. */
    private static boolean diskFull(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (String.valueOf(c.getMessage()).contains("No space left on device")) {
                return true;
            }
        }
        return false;
    }

    /** Keeps a body from closing the stream before we flush and fsync it. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
