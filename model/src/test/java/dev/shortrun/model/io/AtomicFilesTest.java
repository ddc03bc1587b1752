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
}
