package dev.shortrun.model.run;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process as another process can recognise it later: host, pid and start time (a pid alone may be reused).
 *
 * @param startMs the process's start time in epoch milliseconds; 0 when the system does not say
 */
public record ProcessIdentity(String host, long pid, long startMs) {
    private static final ProcessIdentity CURRENT = new ProcessIdentity(hostName(), ProcessHandle.current().pid(),
            startOf(ProcessHandle.current()));

    public static ProcessIdentity current() {
        return CURRENT;
    }

    /**
     * Whether the process still runs; empty when that cannot be told from here (another host). A pid now running
     * something started at another time is another process.
     */
    public Optional<Boolean> alive() {
        if (!host.equals(CURRENT.host)) {
            return Optional.empty();
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        return Optional.of(handle.isPresent() && handle.get().isAlive()
                && (startMs == 0 || startOf(handle.get()) == 0 || Math.abs(startOf(handle.get()) - startMs) < 1000));
    }

    @Override
    public String toString() {
        return host + " pid " + pid;
    }

    private static long startOf(ProcessHandle process) {
        return process.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L);
    }

    /** The host's name without asking DNS (which may hang): /etc/hostname, $HOSTNAME, then Java's look-up. */
    private static String hostName() {
        try {
            Path etc = Path.of("/etc/hostname");
            if (Files.isReadable(etc)) {
                String name = Files.readString(etc).trim();
                if (!name.isEmpty()) {
                    return name;
                }
            }
        } catch (IOException ignored) {
            // fall through to the environment
        }
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
