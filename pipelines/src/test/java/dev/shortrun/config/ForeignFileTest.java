package dev.shortrun.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A spec that names a file which is not a spec ({@code base: /etc/shadow}) is refused without echoing the file's
 * content: the error used to print its first entry.
 */
class ForeignFileTest {
    @TempDir
    Path dir;

    @Test
    void aShadowLikeBaseIsNotEchoed() {
        Path shadow = SpecFiles.write(dir, "shadow", "root:$6$s3cr3t$hash:20228:0:99999:7:::\nbin:*:20228::::::\n");
        Path sweep = SpecFiles.write(dir, "sweep.yaml", "base: shadow\naxes:\n  grid:\n    learner.lr: [1e-4]\n");
        SpecException e = assertThrows(SpecException.class,
                () -> SpecFiles.loader(dir).loadSweep(sweep, List.of()));
        assertEquals(shadow + ":1: a key that is not a setting name (letters, digits, '_', '.', '-'): is this a "
                + "spec file?", e.getMessage());
    }

    @Test
    void aTextFileIsNotEchoed() {
        Path text = SpecFiles.write(dir, "notes", "root:secret-hash:1:2\nbin:*:3\n");
        SpecException e = assertThrows(SpecException.class,
                () -> SpecFiles.loader(dir).loadPipeline(text, List.of()));
        assertEquals(text + ":1: expected a mapping of settings (key: value lines), found text (not shown: is this a "
                + "spec file?)", e.getMessage());
    }

    @Test
    void aSyntaxErrorDoesNotQuoteTheLine() {
        Path key = SpecFiles.write(dir, "id_rsa", "-----BEGIN KEY-----\n  b3Blbn: [Nz\n");
        SpecException e = assertThrows(SpecException.class,
                () -> SpecFiles.loader(dir).loadPipeline(key, List.of()));
        assertEquals(false, e.getMessage().contains("b3Blbn") || e.getMessage().contains("Nz"), e.getMessage());
    }
}
