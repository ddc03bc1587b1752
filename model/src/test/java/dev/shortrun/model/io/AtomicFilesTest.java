package dev.shortrun.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> listing(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesContentCreatesParentsAndLeavesNoTempFile() throws IOException {
        Path target = dir.resolve("a/b/out.txt");
        AtomicFiles.writeString(target, "hello");
        assertEquals("hello", Files.readString(target));
        assertEquals(List.of("out.txt"), listing(target.getParent()));
        AtomicFiles.writeString(target, "replaced");
        assertEquals("replaced", Files.readString(target));
        assertEquals(List.of("out.txt"), listing(target.getParent()));
    }

    @Test
    void failingBodyKeepsOldContentAndRemovesTempFile() throws IOException {
        Path target = dir.resolve("ckpt.bin");
        AtomicFiles.writeString(target, "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            out.write("partial new content".getBytes());
            throw new IOException("boom");
        }));
        assertTrue(e.getMessage().contains(target.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("boom"), e.getMessage());
        assertEquals("old", Files.readString(target));
        assertEquals(List.of("ckpt.bin"), listing(dir));
    }

    /**
     * A process writes its run states and checkpoints for days: each write leaves the in-flight set when it ends (it
     * used to stay there after a successful rename, one path per write, for the life of the process).
     */
    @Test
    void finishedWritesLeaveNothingInFlight() throws IOException {
        int before = AtomicFiles.inFlight();
        for (int i = 0; i < 100; i++) {
            AtomicFiles.writeString(dir.resolve("state.json"), "{\"i\": " + i + "}");
        }
        assertThrows(IOException.class, () -> AtomicFiles.write(dir.resolve("bad"), out -> {
            throw new IOException("boom");
        }));
        assertEquals(before, AtomicFiles.inFlight());
    }

    /** A shutdown hook deletes the temp file of a write cut short by the exit, and only that. */
    @Test
    void deleteInFlightRemovesTheTempFileOfAWriteStillInProgress() throws Exception {
        Path target = dir.resolve("ckpt.bin");
        AtomicFiles.writeString(target, "old");
        java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch deleted = new java.util.concurrent.CountDownLatch(1);
        Thread writer = new Thread(() -> {
            try {
                AtomicFiles.write(target, out -> {
                    out.write("new".getBytes());
                    writing.countDown();
                    try {
                        deleted.await();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                });
            } catch (IOException expected) { // its temp file is gone: the rename fails, the old content stays
            }
        });
        writer.start();
        writing.await();
        assertEquals(2, listing(dir).size(), listing(dir).toString());
        assertTrue(AtomicFiles.deleteInFlight() >= 1);
        assertEquals(List.of("ckpt.bin"), listing(dir));
        deleted.countDown();
        writer.join();
        assertEquals("old", Files.readString(target));
    }

    @Test
    void runtimeFailureIsReportedAsIOExceptionAndCleanedUp() throws IOException {
        Path target = dir.resolve("x.txt");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
            throw new IllegalStateException("bad state");
        }));
        assertTrue(e.getMessage().contains("x.txt"), e.getMessage());
        assertEquals(List.of(), listing(dir));
    }

    @Test
    void tempFileIsHiddenAndInTargetDirectory() throws IOException {
        Path target = dir.resolve("y.txt");
        AtomicFiles.write(target, out -> {
            List<String> names = listing(dir);
            assertEquals(1, names.size(), names.toString());
            assertTrue(names.get(0).startsWith(".") && names.get(0).endsWith(".tmp"), names.get(0));
            out.write(1);
        });
        assertEquals(1, Files.size(target));
    }

    @Test
    void staleTempFilesOfDeadProcessesAreRemovedLiveOnesKept() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path sub = Files.createDirectories(dir.resolve("checkpoints"));
        Path dead = Files.writeString(sub.resolve(".iter-000002.json." + gone.pid() + "-4711.tmp"), "{");
        Path legacy = Files.writeString(sub.resolve(".iter-000002.safetensors.8233720368547758.tmp"), "x");
        Path live = Files.writeString(sub.resolve(".iter-000004.json." + ProcessHandle.current().pid() + "-1.tmp"), "");
        Path kept = Files.writeString(sub.resolve("iter-000002.json"), "{}");
        Path notOurs = Files.writeString(dir.resolve("notes.tmp"), "a user's file");
        assertEquals(2, AtomicFiles.removeStale(dir));
        assertTrue(Files.notExists(dead) && Files.notExists(legacy));
        assertTrue(Files.exists(live) && Files.exists(kept) && Files.exists(notOurs));
    }

    @Test
    void aWriteStoppedBySigtermLeavesNoTempFile() throws Exception {
        Path target = dir.resolve("iter-000002.json");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), InterruptedWrite.class.getName(), target.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolveSibling(dir.getFileName() + ".log").toFile())
                .start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (Files.notExists(dir.resolve("started")) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(Files.exists(dir.resolve("started")), "the child did not start its write");
        assertEquals(2, listing(dir).size(), "the temp file exists while writing: " + listing(dir));
        p.destroy(); // SIGTERM, as Ctrl-C or a scheduler's kill
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(List.of("started"), listing(dir));
    }
}
