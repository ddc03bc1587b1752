package dev.shortrun.model.run;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import dev.shortrun.model.io.AtomicFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * A run folder's {@code state.json} ({@link RunState}). Readers need no lock: every write replaces the file
 * atomically. Changes are read-modify-write under a lock that holds across the threads of a process and across
 * processes ({@code .state.lock}, an OS file lock, which a killed process releases), so that two steps of one run
 * finishing at once, on two Flink workers, cannot lose each other's change: exactly one of them ends the run.
 */
public final class RunStateFile {
    public static final String NAME = "state.json";
    private static final String LOCK = ".state.lock";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .serializeSpecialFloatingPointValues().create();
    /** An OS lock is held per process: threads of one process take turns here first. */
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private RunStateFile() {
    }

    /** The run's state; empty when it has none (never queued, or a folder from before states were written). */
    public static Optional<RunState> read(Path runDir) {
        Path file = runDir.resolve(NAME);
        try {
            return Optional.ofNullable(GSON.fromJson(Files.readString(file), RunState.class));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | JsonParseException e) {
            throw new IllegalStateException("cannot read the run state " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Applies {@code change} to the current state (null when there is none) and writes its result, unless it is
     * null or the same state: then nothing is written. Returns the state now in the file (null if none).
     */
    public static RunState update(Path runDir, UnaryOperator<RunState> change) {
        Path dir = runDir.toAbsolutePath().normalize();
        ReentrantLock local = IN_PROCESS.computeIfAbsent(dir, d -> new ReentrantLock());
        local.lock();
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                RunState before = read(dir).orElse(null);
                RunState after = change.apply(before);
                if (after == null || after.equals(before)) {
                    return before;
                }
                RunState written = after.written(System.currentTimeMillis(), ProcessIdentity.current().toString());
                AtomicFiles.writeString(dir.resolve(NAME), GSON.toJson(written) + "\n");
                return written;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update the run state " + dir.resolve(NAME) + ": "
                    + e.getMessage(), e);
        } finally {
            local.unlock();
        }
    }
}
