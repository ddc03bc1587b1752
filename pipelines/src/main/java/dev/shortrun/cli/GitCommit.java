package dev.shortrun.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The code version a sweep ran, for provenance tags. */
final class GitCommit {
    private GitCommit() {
    }

    static String current() {
        try {
            Process p = new ProcessBuilder("git", "-C", Path.of(System.getProperty("shortrun.home", ".")).toString(),
                    "rev-parse", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "unknown";
        } catch (Exception e) {
            return "unknown";
        }
    }
}
