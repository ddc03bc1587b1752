package dev.shortrun.steps;

import dev.shortrun.model.util.Faults;
import dev.shortrun.model.io.Sha256;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The shortrun code that computes a run, for provenance and for deciding what a pipeline run again may reuse: the
 * git commit of the checkout the launcher runs from ({@code shortrun.home}), and when its code differs from that
 * commit, {@code -dirty-} and the first 12 hex digits of a SHA-256 over the differences, so that two different sets
 * of uncommitted edits are two versions. Only the code counts: the poms and {@code src/main} of the three modules
 * (changed and untracked files); edits to the README, tests or specs change no result and keep the version. Outside
 * a git checkout it is "unknown". Asked once per JVM, so it names the code as it was when the code was loaded.
 */
public final class CodeVersion {
    /** Where the code that computes results lives, relative to the checkout's top. */
    static final List<String> CODE = List.of("pom.xml", "model/pom.xml", "model/src/main", "steps/pom.xml",
            "steps/src/main", "pipelines/pom.xml", "pipelines/src/main");
    private static String cached;

    private CodeVersion() {
    }

    public static synchronized String current() {
        if (cached == null) {
            // a deliberate fault (Faults) is other code: its results are never reused as the real code's
            cached = of(Path.of(System.getProperty("shortrun.home", "."))) + Faults.active().map(f -> "+fault:" + f)
                    .orElse("");
        }
        return cached;
    }

    /** The version of the code in the git checkout that holds {@code home}; "unknown" outside one. */
    static String of(Path home) {
        try {
            // from the checkout's top, so that the same tree gives the same version from any folder in it
            Path top = Path.of(text(git(home, List.of("rev-parse", "--show-toplevel"))));
            String commit = text(git(top, List.of("rev-parse", "HEAD")));
            MessageDigest digest = Sha256.newDigest();
            List<String> diff = new ArrayList<>(List.of("diff", "HEAD", "--binary", "--"));
            diff.addAll(CODE);
            byte[] changes = git(top, diff);
            digest.update(changes);
            List<String> others = new ArrayList<>(List.of("ls-files", "--others", "--exclude-standard", "-z", "--"));
            others.addAll(CODE);
            boolean untracked = false;
            for (String file : text(git(top, others)).split("\0")) {
                if (!file.isEmpty()) {
                    untracked = true;
                    digest.update(file.getBytes(StandardCharsets.UTF_8));
                    Sha256.update(digest, top.resolve(file));
                }
            }
            return changes.length == 0 && !untracked ? commit
                    : commit + "-dirty-" + Sha256.hex(digest).substring(0, 12);
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String text(byte[] output) {
        return new String(output, StandardCharsets.UTF_8).trim();
    }

    /** The output of {@code git -C home args}; throws when git fails or takes more than 20 s. */
    private static byte[] git(Path home, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of("git", "-C", home.toString()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("git " + String.join(" ", args) + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking git", e);
        }
        return out;
    }
}
