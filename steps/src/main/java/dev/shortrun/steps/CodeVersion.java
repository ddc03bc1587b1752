package dev.shortrun.steps;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The shortrun code that computes a run, for provenance: the git commit of the checkout the launcher runs from
 * ({@code shortrun.home}), with {@code -dirty} when it has uncommitted changes, or "unknown" outside a git checkout.
 * Asked once per JVM, so it names the checkout as it was when the code was loaded.
 */
public final class CodeVersion {
    private static String cached;

    private CodeVersion() {
    }

    public static synchronized String current() {
        if (cached == null) {
            cached = ask();
        }
        return cached;
    }

    private static String ask() {
        try {
            Process p = new ProcessBuilder("git", "-C", Path.of(System.getProperty("shortrun.home", ".")).toString(),
                    "describe", "--always", "--dirty", "--abbrev=40", "--exclude=*").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "unknown";
        } catch (Exception e) {
            return "unknown";
        }
    }
}
