package dev.shortrun.steps.tracking;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One tracking server's availability as this process sees it: when to try it next (exponential backoff 0.5 s, 1 s,
 * 2 s, ... up to 30 s), since when it has been failing, and whether a run's end already gave up on it in this outage.
 * Every tracker of a server in the JVM shares one ({@link #of}), so a tracker opened during an outage (each checkpoint
 * step opens one) neither calls the server before the backoff allows nor waits for it again at its close. Warns once
 * when an outage starts and says when it ends. Thread-safe: its state is guarded by its monitor, which it never holds
 * while logging.
 */
final class ServerHealth {
    private static final Logger LOG = LoggerFactory.getLogger(ServerHealth.class);
    private static final Duration FIRST_DELAY = Duration.ofMillis(500);
    static final Duration MAX_DELAY = Duration.ofSeconds(30);
    private static final Map<String, ServerHealth> BY_URI = new ConcurrentHashMap<>();

    private final String uri;
    private final InstantSource clock;
    private Duration delay = Duration.ZERO;
    private Instant nextAttempt = Instant.MIN;
    private Instant failingSince; // null while the server answers
    private boolean gaveUp;

    ServerHealth(String uri, InstantSource clock) {
        this.uri = uri;
        this.clock = clock;
    }

    /** The health of the server at {@code uri} that every tracker of this process shares. */
    static ServerHealth of(String uri) {
        return BY_URI.computeIfAbsent(uri, u -> new ServerHealth(u, InstantSource.system()));
    }

    /** Whether the backoff allows a request now. */
    synchronized boolean due() {
        return !clock.instant().isBefore(nextAttempt);
    }

    /** Whether a run's end may try the server now: it has not given up on this outage, or the backoff allows. */
    synchronized boolean finalAttemptAllowed() {
        return !gaveUp || due();
    }

    synchronized Instant nextAttempt() {
        return nextAttempt;
    }

    /** When a run's end stops waiting for the server: {@code window} after the outage's first failure. */
    synchronized Optional<Instant> giveUpAt(Duration window) {
        return Optional.ofNullable(failingSince).map(since -> since.plus(window));
    }

    /** Notes that a run's end stopped waiting; later ones make an attempt only when the backoff allows. */
    synchronized void gaveUp() {
        gaveUp = failingSince != null;
    }

    /** A request failed because the server is away: backs off; the first failure of an outage warns. */
    void failed(RuntimeException cause) {
        boolean started;
        synchronized (this) {
            Instant now = clock.instant();
            started = failingSince == null;
            if (started) {
                failingSince = now;
            }
            delay = delay.isZero() ? FIRST_DELAY : min(delay.multipliedBy(2), MAX_DELAY);
            nextAttempt = now.plus(delay);
        }
        if (started) {
            LOG.warn("{}; runs go on, queueing their records and retrying", cause.getMessage());
        }
    }

    /** A request succeeded: the outage, if any, is over. */
    void answered() {
        boolean ended;
        synchronized (this) {
            ended = failingSince != null;
            failingSince = null;
            gaveUp = false;
            delay = Duration.ZERO;
            nextAttempt = Instant.MIN;
        }
        if (ended) {
            LOG.info("MLflow at {} reachable again; sending what was queued", uri);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
