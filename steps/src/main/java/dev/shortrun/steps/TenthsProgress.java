package dev.shortrun.steps;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * Progress of a long step as a logged line per 10%: Beam/Flink workers have no terminal to draw a bar on.
 * Each line reads {@code [label] done/total (p%) seconds s, rate/s detail}.
 */
final class TenthsProgress {
    private static final Logger LOG = LoggerFactory.getLogger(TenthsProgress.class);
    private final String label;
    private final String unit;
    private final long total;
    private final long started = System.nanoTime();
    private long lastTenth = -1;

    /**
     * @param label what is running, e.g. the run name
     * @param unit  what is counted, for the rate ("it", "steps")
     */
    TenthsProgress(String label, String unit, long total) {
        this.label = label;
        this.unit = unit;
        this.total = Math.max(1, total);
    }

    /** Prints a line when {@code done} enters a new tenth of the total; {@code detail} is asked only then. */
    void update(long done, Supplier<String> detail) {
        long tenth = done * 10 / total;
        if (tenth != lastTenth) {
            lastTenth = tenth;
            double seconds = (System.nanoTime() - started) / 1e9;
            String extra = detail.get();
            LOG.info(String.format("[%s] %d/%d (%d%%) %.1f s, %.1f %s/s%s", label, done, total, 100 * done / total,
                    seconds, done / Math.max(seconds, 1e-9), unit, extra.isEmpty() ? "" : "  " + extra));
        }
    }
}
