package dev.shortrun.model.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A run folder taken by one process while it trains the run or writes a step's results into it: {@code RUN/.lock},
 * held with an OS file lock ({@link FileChannel#tryLock}) and holding its owner's pid, host, start time and
 * activity. A second process refuses with {@link RunInUseException}, naming that owner. The OS drops the lock of a
 * process that dies (kill -9, a crash), so a stale lock file is simply taken over; the file itself stays (deleting
 * it would let two processes lock two different files of the same name).
 * <p>
 * Within one process the lock is shared, counted in a JVM-wide registry: embedded Flink trains and steps several
 * runs in one JVM (a second {@code tryLock} there would throw {@link OverlappingFileLockException}, and closing a
 * second channel on the file would drop the OS lock), and the pipeline itself orders training before the steps of a
 * run. Training is the exception: two threads of one process never train the same folder at once.
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = ".lock";
    private static final Map<Path, Held> HELD = new HashMap<>(); // guarded by itself
    private static final String HOST = hostName();

    /** Who holds a run folder: written into the lock file, read back by the process that is refused. */
    public record Owner(long pid, String host, Instant since, String activity) {
        String text() {
            return "pid=" + pid + "\nhost=" + host + "\nsince=" + since + "\nactivity=" + activity + "\n";
        }

        static Optional<Owner> parse(String text) {
            Map<String, String> fields = new HashMap<>();
            text.lines().forEach(line -> {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    fields.put(line.substring(0, eq), line.substring(eq + 1));
                }
            });
            try {
                return Optional.of(new Owner(Long.parseLong(fields.get("pid")), fields.get("host"),
                        Instant.parse(fields.get("since")), fields.getOrDefault("activity", "?")));
            } catch (RuntimeException unreadable) { // empty (being written or released) or not ours
                return Optional.empty();
            }
        }

        /** "train by pid 4242 on host box since 2026-12-02T07:30:00Z". */
        public String describe() {
            return activity + " by pid " + pid + " on host " + host + " since " + since;
        }
    }

    /** The OS lock and this process's users of one run folder. */
    private static final class Held {
        final FileChannel channel;
        final FileLock lock;
        final Owner owner;
        int users;
        Thread trainer;

        Held(FileChannel channel, FileLock lock, Owner owner) {
            this.channel = channel;
            this.lock = lock;
            this.owner = owner;
        }
    }

    private final Path key;
    private final Held held;
    private final boolean training;
    private final Thread previousTrainer;
    private boolean closed;

    private RunLock(Path key, Held held, boolean training, Thread previousTrainer) {
        this.key = key;
        this.held = held;
        this.training = training;
        this.previousTrainer = previousTrainer;
    }

    /**
     * Takes {@code runDir} (creating it) for {@code activity} ("train", "step sample", ...).
     *
     * @param training whether this user trains the run: refused while another thread of this process trains it
     * @throws RunInUseException naming the owner when another process holds the folder
     */
    public static RunLock acquire(Path runDir, String activity, boolean training) {
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run folder " + runDir + ": " + e.getMessage(), e);
        }
        Path key = canonical(runDir);
        synchronized (HELD) {
            Held held = HELD.get(key);
            if (held == null) {
                held = lockFile(key, activity);
                HELD.put(key, held);
            } else if (training && held.trainer != null && held.trainer != Thread.currentThread()) {
                throw new RunInUseException(key, "train by thread '" + held.trainer.getName() + "' of this process "
                        + "(pid " + held.owner.pid() + ")");
            }
            held.users++;
            Thread previous = held.trainer;
            if (training) {
                held.trainer = Thread.currentThread();
            }
            return new RunLock(key, held, training, previous);
        }
    }

    /** The owner recorded in {@code runDir}'s lock file; this process's own record while it holds the folder. */
    public static Optional<Owner> owner(Path runDir) {
        Path key = canonical(runDir);
        synchronized (HELD) {
            Held held = HELD.get(key);
            if (held != null) {
                return Optional.of(held.owner);
            }
        }
        try {
            // reading through a second channel is safe only here: this process holds no lock on the file
            return Files.isRegularFile(key.resolve(FILE))
                    ? Owner.parse(Files.readString(key.resolve(FILE), StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Whether this process holds {@code runDir}. */
    public static boolean heldHere(Path runDir) {
        synchronized (HELD) {
            return HELD.containsKey(canonical(runDir));
        }
    }

    @Override
    public void close() {
        synchronized (HELD) {
            if (closed) {
                return;
            }
            closed = true;
            if (training) {
                held.trainer = previousTrainer;
            }
            if (--held.users > 0) {
                return;
            }
            HELD.remove(key);
            try (FileChannel channel = held.channel) {
                channel.truncate(0); // the record says who holds the folder, and nobody does now
                held.lock.release();
            } catch (IOException e) {
                // closing the channel releases the lock in any case; the stale record is overwritten by the next owner
            }
        }
    }

    private static Held lockFile(Path dir, String activity) {
        Path file = dir.resolve(FILE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String recorded = read(channel);
                channel.close();
                throw new RunInUseException(dir, Owner.parse(recorded).map(Owner::describe)
                        .orElse("another process (it has not recorded itself yet)"));
            }
            Owner owner = new Owner(ProcessHandle.current().pid(), HOST, Instant.now().truncatedTo(ChronoUnit.SECONDS),
                    activity);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(owner.text().getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new Held(channel, lock, owner);
        } catch (IOException | OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot lock run folder " + dir + " (" + file.getFileName() + "): "
                    + e.getMessage(), e instanceof IOException io ? io : new IOException(e));
        }
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4096); // an owner record is a few lines
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }

    /** One key per folder however it is named (relative, through a symlink), so the registry sees every alias. */
    private static Path canonical(Path runDir) {
        Path abs = runDir.toAbsolutePath().normalize();
        try {
            return Files.exists(abs) ? abs.toRealPath() : abs;
        } catch (IOException e) {
            return abs;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the original failure is the one to report
            }
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException | SecurityException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("unknown");
        }
    }
}
