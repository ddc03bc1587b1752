package dev.shortrun.model.run;

import java.util.Locale;

/**
 * One automatic restart of a diverged run ({@link dev.shortrun.model.learning.DivergencePolicy}), kept in every
 * later checkpoint (so a resumed run knows its spent budget and a rerun can be compared with it) and reported to
 * the run's listener.
 *
 * @param number     1-based
 * @param divergedAt the iteration that diverged
 * @param from       the iteration it went back to: its last good checkpoint, 0 before the first
 * @param cause      the divergence's message
 * @param lr         the learning rate it continued with (at iteration {@code from})
 * @param seed       the seed of the random stream it continued with, or null when it kept the checkpoint's stream
 */
public record Restart(int number, long divergedAt, long from, String cause, double lr, Long seed) {
    /** "restart 1: diverged at iteration 37, back to iteration 20 with lr 5e-05 and seed 123456". */
    public String describe() {
        return String.format(Locale.ROOT, "restart %d: diverged at iteration %d, back to iteration %d with lr %.4g%s",
                number, divergedAt, from, lr, seed == null ? " (same random stream)" : " and seed " + seed);
    }
}
