package dev.shortrun.cli;

import java.io.PrintStream;
import java.time.Duration;

/**
 * A one-line progress bar with rate, ETA and a run-specific status. On a terminal it redraws in place; otherwise
 * (CI logs, pipes) it prints a plain line every 5% so logs stay readable.
 */
final class ProgressBar {
    private static final int WIDTH = 28;

    private final PrintStream out;
    private final String label;
    private final long total;
    private final boolean interactive;
    private final long startNanos = System.nanoTime();
    private final long startCount;
    private long lastPrintedBucket = -1;
    private long lastDrawNanos;

    ProgressBar(PrintStream out, String label, long startCount, long total) {
        this.out = out;
        this.label = label;
        this.total = Math.max(total, 1);
        this.startCount = startCount;
        this.interactive = System.console() != null;
    }

    void update(long done, String status) {
        long now = System.nanoTime();
        boolean finished = done >= total;
        if (interactive) {
            if (!finished && now - lastDrawNanos < 100_000_000L) {
                return; // at most 10 redraws a second
            }
            lastDrawNanos = now;
            out.print("\r" + line(done, status, now) + (finished ? "\n" : ""));
        } else {
            long bucket = done * 20 / total;
            if (bucket != lastPrintedBucket || finished) {
                lastPrintedBucket = bucket;
                out.println(line(done, status, now));
            }
        }
        out.flush();
    }

    private String line(long done, String status, long now) {
        double seconds = (now - startNanos) / 1e9;
        double rate = seconds > 0 ? (done - startCount) / seconds : 0;
        int filled = (int) (WIDTH * done / total);
        String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
        String eta = rate > 0 ? format(Duration.ofSeconds((long) ((total - done) / rate))) : "--:--";
        String speed = rate >= 1 ? String.format("%.1f it/s", rate) : String.format("%.2f s/it", rate > 0 ? 1 / rate : 0);
        return String.format("%s [%s] %d/%d %s ETA %s %s", label, bar, done, total, speed, eta, status);
    }

    private static String format(Duration d) {
        long s = d.getSeconds();
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60)
                : String.format("%02d:%02d", s / 60, s % 60);
    }
}
