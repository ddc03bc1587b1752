package dev.shortrun.model.io;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process that starts an atomic write of {@code args[0]} and never finishes it, for tests that kill it. Its shutdown
 * hook deletes the writes in flight, as the commands' hooks do.
 */
public final class InterruptedWrite {
    private InterruptedWrite() {
    }

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args[0]);
        Runtime.getRuntime().addShutdownHook(new Thread(AtomicFiles::deleteInFlight));
        AtomicFiles.write(target, out -> {
            out.write("half a checkpoint".getBytes());
            Files.writeString(target.resolveSibling("started"), "");
            try {
                Thread.sleep(600_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
