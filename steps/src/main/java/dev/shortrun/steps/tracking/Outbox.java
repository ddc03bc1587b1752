package dev.shortrun.steps.tracking;

import dev.shortrun.steps.tracking.MlflowRest.MlflowRejectedException;
import dev.shortrun.steps.tracking.MlflowRest.MlflowUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run's records on their way to the tracking server, and when to send them.
 *
 * <p><b>Order.</b> The run is created (or reopened) first; then params, tags and artifacts in the order logged; then
 * metric points, oldest first, in batches of up to {@value MlflowPayloads#MAX_METRICS_PER_BATCH}; the terminal status
 * last, once nothing else is queued.
 *
 * <p><b>Delivery.</b> A record leaves its queue only after the server accepted it, so an outage loses nothing, and
 * nothing is sent twice (a reply lost in flight is the one way a request can be repeated). Metric points beyond a
 * memory bound spill to disk ({@link PendingMetrics}). A record the server refuses (4xx), or that fails with a server
 * error (5xx) {@value #MAX_SERVER_ERRORS} times in a row, is dropped with a warning: sending it again cannot help. A
 * refused creation abandons the run: nothing of it is ever sent.
 *
 * <p><b>Retries.</b> A pass ({@link #sendPass}) stops at the first request that fails because the server is away and
 * tells {@link ServerHealth}, whose backoff says when the next pass may try. A run's end ({@link #flush}) tries at
 * once, then again at each backoff slot until the give-up window, measured from the outage's first failure, is over;
 * once it gave up, a later end of the same run only tries when the backoff allows.
 *
 * <p><b>Threads.</b> Log calls, from any thread, only queue. Every request is made by one thread, the tracker's
 * sender thread, which alone calls {@link #sendPass}, {@link #flush} and {@link #ensureCreated}. The queued state is
 * guarded by this object's monitor, held only to add, look at or remove entries, never during a request; the fields
 * marked "sender thread" are used by that thread alone.
 */
final class Outbox {
    static final int MAX_SERVER_ERRORS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final String runName;
    private final RunTransport transport;
    private final ServerHealth health;
    private final InstantSource clock;
    private final Sleeper sleeper;

    // Guarded by this.
    private final Deque<Delivery> deliveries = new ArrayDeque<>();
    private final PendingMetrics metrics;
    private RunOnServer run;
    private boolean skipRecorded;
    private String terminalStatus;
    private long endTimeMs;
    private boolean terminalSent;
    private boolean closed;
    private boolean abandoned;
    private boolean warnedSpill;

    // Sender thread.
    private int headServerErrors; // 5xx answers in a row to the request for the head of the queue
    private boolean gaveUp;       // a run's end stopped waiting for the server in this outage
    /** How often a run's end tries during its grace. */
    private static final Duration GRACE_POLL = Duration.ofMillis(500);

    Outbox(String runName, RunTransport transport, ServerHealth health, PendingMetrics metrics, InstantSource clock,
            Sleeper sleeper) {
        this.runName = runName;
        this.transport = transport;
        this.health = health;
        this.metrics = metrics;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    String runName() {
        return runName;
    }

    // ---- queueing: any thread ----

    synchronized void add(Delivery delivery) {
        if (abandoned) {
            delivery.discard();
            return;
        }
        deliveries.addLast(delivery);
    }

    /**
     * Queues one point per value, stamped now, leaving out those an earlier attempt of the run recorded (see
     * {@link #skipRecorded}); returns how many points wait.
     */
    long addMetrics(long step, Map<String, Double> values) {
        long now = clock.millis();
        long inMemoryAtSpill = -1;
        long pending;
        synchronized (this) {
            if (abandoned) {
                return 0;
            }
            for (Map.Entry<String, Double> e : values.entrySet()) {
                if (skipRecorded && run != null && run.earlier().recorded().covers(e.getKey(), step)) {
                    continue;
                }
                if (metrics.add(new MetricPoint(e.getKey(), e.getValue(), step, now)) && !warnedSpill) {
                    warnedSpill = true;
                    inMemoryAtSpill = metrics.size() - 1;
                }
            }
            pending = metrics.size();
        }
        if (inMemoryAtSpill >= 0) {
            LOG.warn("run '{}': MLflow unreachable and {} metric points queued in memory; spilling further points "
                    + "to disk until it returns", runName, inMemoryAtSpill);
        }
        return pending;
    }

    /** From now on, leaves out points at steps that earlier attempts of the run recorded for their metric. */
    synchronized void skipRecorded() {
        skipRecorded = true;
    }

    /** Queues the terminal status, sent after everything else; the end time is now. */
    synchronized void finish(String status) {
        terminalStatus = status;
        endTimeMs = clock.millis();
        terminalSent = false;
    }

    /**
     * The run's handle closed. A run that had ended and was reopened only to add records (a checkpoint step's
     * outcome) then gets its earlier status and end time back, unless it was given a new one.
     */
    synchronized void close() {
        closed = true;
    }

    /** The run as the server knows it; null until created. */
    synchronized RunOnServer run() {
        return run;
    }

    synchronized boolean abandoned() {
        return abandoned;
    }

    synchronized boolean hasPending() {
        if (abandoned) {
            return false;
        }
        return run == null || !deliveries.isEmpty() || !metrics.isEmpty() || statusToSend() != null;
    }

    synchronized String describePending() {
        String status = statusToSend();
        return (run == null ? "the run's creation, " : "") + deliveries.size() + " records (params, tags, artifacts), "
                + metrics.size() + " metric points" + (status != null ? " and the status " + status : "");
    }

    /** The status still to send: the one given at finish, or at close the one a reopened run had; else null. */
    private String statusToSend() {
        if (terminalSent) {
            return null;
        }
        if (terminalStatus != null) {
            return terminalStatus;
        }
        return closed && run != null && run.earlier().ended() ? run.earlier().status() : null;
    }

    // ---- sending: the sender thread ----

    /**
     * A run's end: sends what is queued; while the server is away, tries again every half second for {@code grace} (a
     * server being restarted, a dead pooled connection) and at each backoff slot until {@code giveUpAfter} past the
     * outage's first failure, then gives up (a later call tries only when the backoff allows). Returns true when
     * nothing is left to send.
     */
    boolean flush(Duration giveUpAfter, Duration grace) {
        Instant graceEnd = gaveUp ? Instant.MIN : clock.instant().plus(grace);
        while (true) {
            if (!gaveUp || health.due()) {
                if (sendPass()) {
                    gaveUp = false;
                    return true;
                }
            } else if (!hasPending()) {
                return true;
            }
            Optional<Instant> windowEnd = health.giveUpAt(giveUpAfter);
            if (windowEnd.isEmpty()) {
                continue; // no outage: records were queued meanwhile, or another tracker reached the server
            }
            Instant now = clock.instant();
            Instant deadline = windowEnd.get().isAfter(graceEnd) ? windowEnd.get() : graceEnd;
            if (!now.isBefore(deadline)) {
                gaveUp = true;
                return false;
            }
            Instant next = health.nextAttempt();
            if (now.isBefore(graceEnd) && next.isAfter(now.plus(GRACE_POLL))) {
                next = now.plus(GRACE_POLL);
            }
            try {
                sleeper.sleep(Duration.between(now, next.isBefore(deadline) ? next : deadline));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /** Sends what is queued, in order, until done or a request fails for an away server; true when nothing is left. */
    boolean sendPass() {
        try {
            if (ensureCreated()) {
                RunOnServer created = run();
                sendDeliveries(created);
                sendMetrics(created);
                sendStatus(created);
            }
        } catch (MlflowUnavailableException e) {
            health.failed(e);
        }
        return !hasPending();
    }

    /** Creates the run now unless the backoff forbids; true once the server has it. */
    boolean createNow() {
        if (run() != null || !health.due()) {
            return run() != null;
        }
        try {
            return ensureCreated();
        } catch (MlflowUnavailableException e) {
            health.failed(e);
            return false;
        }
    }

    /**
     * Creates the run unless the server has it; false when the server refused to create it.
     *
     * @throws MlflowUnavailableException when the server is away
     */
    boolean ensureCreated() {
        synchronized (this) {
            if (run != null || abandoned) {
                return run != null;
            }
        }
        RunOnServer created;
        try {
            created = transport.create();
        } catch (MlflowRejectedException e) {
            LOG.warn("MLflow refused to create run '{}'; nothing of it is sent to MLflow: {}", runName, e.getMessage());
            abandon();
            return false;
        }
        health.answered();
        synchronized (this) {
            run = created;
        }
        return true;
    }

    private void sendDeliveries(RunOnServer created) {
        while (true) {
            Delivery next = nextDelivery();
            if (next == null) {
                return;
            }
            request(next.description(), () -> transport.send(created, next));
            synchronized (this) {
                deliveries.removeFirst();
            }
            next.discard();
        }
    }

    private void sendMetrics(RunOnServer created) {
        while (true) {
            List<MetricPoint> batch;
            boolean skip;
            synchronized (this) {
                batch = metrics.peek(MlflowPayloads.MAX_METRICS_PER_BATCH);
                skip = skipRecorded;
            }
            if (batch.isEmpty()) {
                return;
            }
            List<MetricPoint> unrecorded = skip
                    ? batch.stream().filter(p -> !created.earlier().recorded().covers(p.key(), p.step())).toList()
                    : batch;
            if (!unrecorded.isEmpty()) {
                request(unrecorded.size() + " metric points", () -> transport.sendMetrics(created, unrecorded));
            }
            synchronized (this) {
                metrics.remove(batch.size());
            }
        }
    }

    private void sendStatus(RunOnServer created) {
        String status;
        long end;
        synchronized (this) {
            status = statusToSend();
            if (status == null || !deliveries.isEmpty() || !metrics.isEmpty()) {
                return;
            }
            end = terminalStatus != null ? endTimeMs : created.earlier().endTimeMs();
        }
        request("the status " + status, () -> transport.setStatus(created, status, end));
        synchronized (this) {
            terminalSent = true;
        }
    }

    /**
     * Makes the request for the head of the queue. Returns when the head may leave the queue: sent, or dropped
     * because the server refused it or failed on it {@value #MAX_SERVER_ERRORS} times in a row.
     *
     * @throws MlflowUnavailableException when the server is away: the head stays
     */
    private void request(String what, Runnable request) {
        try {
            request.run();
            health.answered();
        } catch (MlflowRejectedException e) {
            LOG.warn("run '{}': MLflow refused {}, dropped: {}", runName, what, e.getMessage());
        } catch (MlflowUnavailableException e) {
            if (!e.serverError() || ++headServerErrors < MAX_SERVER_ERRORS) {
                throw e;
            }
            LOG.warn("run '{}': {} failed {} times, dropped: {}", runName, what, MAX_SERVER_ERRORS, e.getMessage());
        }
        headServerErrors = 0;
    }

    private synchronized Delivery nextDelivery() {
        return deliveries.peekFirst();
    }

    private synchronized void abandon() {
        abandoned = true;
        deliveries.forEach(Delivery::discard);
        deliveries.clear();
        metrics.clear();
    }
}
