package dev.shortrun.model.run;

import java.nio.file.Path;

/** A run folder another process (or another thread of this one) is training or writing into: see {@link RunLock}. */
public final class RunInUseException extends IllegalStateException {
    private final Path runDir;

    RunInUseException(Path runDir, String owner) {
        super("run folder " + runDir + " is in use (" + owner + "); wait for it to finish or stop that process (the "
                + "lock of a killed process is released by the OS)");
        this.runDir = runDir;
    }

    public Path runDir() {
        return runDir;
    }
}
