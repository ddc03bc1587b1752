package dev.shortrun.model.run;

import java.nio.file.Path;

/** A second process for {@link RunLockTest}: takes a run folder for training, says so, and waits to be killed. */
public final class RunLockHolder {
    private RunLockHolder() {
    }

    public static void main(String[] args) throws InterruptedException {
        RunLock lock = new RunDirectory(Path.of(args[0])).lockForTraining();
        System.out.println("held " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.sleep(600_000);
        lock.close();
    }
}
