package dev.shortrun.model.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Sha256Test {
    /** FIPS 180-2, appendix B.1. */
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void textAndFilesHashAsTheStandardSays(@TempDir Path dir) throws IOException {
        assertEquals(ABC, Sha256.hex("abc"));
        Path file = Files.writeString(dir.resolve("abc.txt"), "abc");
        assertEquals(ABC, Sha256.hex(file));
        MessageDigest digest = Sha256.newDigest();
        digest.update("a".getBytes(StandardCharsets.UTF_8));
        Sha256.update(digest, Files.writeString(dir.resolve("bc.txt"), "bc"));
        assertEquals(ABC, Sha256.hex(digest), "text then a file: the hash of both, in order");
        UncheckedIOException missing = assertThrows(UncheckedIOException.class,
                () -> Sha256.hex(dir.resolve("absent.bin")));
        assertTrue(missing.getMessage().contains("absent.bin"), missing.getMessage());
    }
}
