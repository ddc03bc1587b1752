package dev.shortrun.steps;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The code version that decides what a pipeline run again may reuse: the commit, and a hash of the uncommitted
 * changes to the code (two different sets of edits are two versions); other files do not count.
 */
class CodeVersionTest {
    @Test
    void uncommittedCodeChangesMakeAVersionOfTheirOwnAndOtherFilesDoNot(@TempDir Path repo) throws Exception {
        Path source = repo.resolve("model/src/main/java/A.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "class A {}\n");
        Files.writeString(repo.resolve("README.md"), "readme\n");
        git(repo, "init", "-q");
        git(repo, "add", ".");
        git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "first");
        String commit = new String(new ProcessBuilder("git", "-C", repo.toString(), "rev-parse", "HEAD").start()
                .getInputStream().readAllBytes()).trim();

        assertEquals(commit, CodeVersion.of(repo));
        assertEquals(commit, CodeVersion.of(source.getParent()), "the same from any folder of the checkout");
        Files.writeString(repo.resolve("README.md"), "edited\n");
        Files.writeString(repo.resolve("notes.txt"), "untracked, not code\n");
        assertEquals(commit, CodeVersion.of(repo), "documents and notes change no result");

        Files.writeString(source, "class A { int x; }\n");
        String edited = CodeVersion.of(repo);
        assertTrue(edited.matches(commit + "-dirty-[0-9a-f]{12}"), edited);
        assertEquals(edited, CodeVersion.of(repo.resolve("model")), "the same from any folder of the checkout");
        Files.writeString(source, "class A { int y; }\n");
        String other = CodeVersion.of(repo);
        assertNotEquals(edited, other, "other edits, another version");

        Files.writeString(source, "class A {}\n");
        Path added = repo.resolve("steps/src/main/java/B.java");
        Files.createDirectories(added.getParent());
        Files.writeString(added, "class B {}\n");
        String untracked = CodeVersion.of(repo);
        assertTrue(untracked.startsWith(commit + "-dirty-") && !untracked.equals(edited), untracked);

        assertEquals("unknown", CodeVersion.of(repo.getParent().resolve("no-such-checkout")));
    }

    private static void git(Path repo, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", repo.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "git " + List.of(args) + ": " + out);
    }
}
