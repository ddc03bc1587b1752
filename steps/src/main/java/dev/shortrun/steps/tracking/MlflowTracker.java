package dev.shortrun.steps.tracking;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records runs in an MLflow tracking server through its REST API.
 *
 * <p><b>Threads.</b> Log calls only queue, in each run's {@link Outbox}, and return at once. One sender thread per
 * tracker ({@link SenderThread}) makes every request: every second, sooner when records wait, and for a run's start
 * (its creation, if the backoff allows, so that its id is MLflow's at once) and end, which wait for it. Each outbox
 * guards its queues with its own monitor, never held during a request; the server's health ({@link ServerHealth})
 * guards its own. No lock is held while taking another.
 *
 * <p><b>When the server is away</b> (refused or timed-out connections, 5xx or 429 answers), a run never stops and
 * log calls never wait for it:
 * <ul>
 *   <li>each request gives up after {@code connectTimeout} (2 s) to connect and {@code requestTimeout} (15 s) in all,
 *       with no retries of its own;</li>
 *   <li>while runs go on, their records wait in order (metric points beyond {@code pendingMetricsInMemory} spill to
 *       disk) and are retried with a backoff of 0.5 s doubling up to 30 s, which every tracker of that server in
 *       the JVM shares, as it shares the outage's start;</li>
 *   <li>a run's end ({@link RunHandle#finish}, {@link RunHandle#close}, and this tracker's {@link #close}) tries at
 *       once, then every half second for {@code endGrace} (1 s: a pooled connection that a restart of the server
 *       left dead fails once, and a server just restarted may need a moment), and at each backoff slot until
 *       {@code giveUpAfter} (10 s) past the outage's first failure, not counting from each record or each call; a
 *       later end of the same run tries again only when the backoff allows. So a run whose server is unreachable
 *       ends within about 10 s of its start or 1 s of its end, and a tracker opened in a long outage (each
 *       checkpoint step opens one) costs about a second at its end;</li>
 *   <li>what was not sent by the tracker's close gets one warning per run, {@link #delivered()} turns false and the
 *       spooled copies are deleted: the run's own files keep everything, and the next run of the pipeline logs what
 *       the server lacks (the training history from {@code metrics.csv}, the steps' outcomes by their records).</li>
 * </ul>
 */
public final class MlflowTracker implements Tracker {
    private static final Logger LOG = LoggerFactory.getLogger(MlflowTracker.class);

    /**
     * @param retryEvery             how often the sender thread looks for records to send
     * @param giveUpAfter            how long after an outage's first failure a run's end stops waiting for the server
     * @param endGrace               how long a run's end keeps trying (every half second) even when the outage is
     *                               older: a server just restarted, or a pooled connection its restart left dead
     * @param pendingMetricsInMemory metric points held in memory per run while the server is away; more spill to disk
     * @param spoolDir               under which queued artifacts and spilled metrics wait; null = the system's
     *                               temporary directory
     */
    public record Settings(Duration connectTimeout, Duration requestTimeout, Duration retryEvery,
            Duration giveUpAfter, Duration endGrace, int pendingMetricsInMemory, Path spoolDir) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(2), Duration.ofSeconds(15), Duration.ofSeconds(1),
                    Duration.ofSeconds(10), Duration.ofSeconds(1), 1_000_000, null);
        }

        public Settings withPendingMetricsInMemory(int points) {
            return new Settings(connectTimeout, requestTimeout, retryEvery, giveUpAfter, endGrace, points, spoolDir);
        }

        /** A shorter give-up window; the end's grace never outlasts it. */
        public Settings withGiveUpAfter(Duration window) {
            return new Settings(connectTimeout, requestTimeout, retryEvery, window,
                    endGrace.compareTo(window) < 0 ? endGrace : window, pendingMetricsInMemory, spoolDir);
        }
    }

    private final MlflowRest rest;
    private final Settings settings;
    private final ServerHealth health;
    private final InstantSource clock = InstantSource.system();
    private final Experiments experiments;
    private final ParentRuns parents = new ParentRuns();
    private final Spool spool;
    private final List<Outbox> outboxes = new CopyOnWriteArrayList<>();
    private final SenderThread sender;
    private volatile boolean delivered = true;

    public MlflowTracker(String trackingUri) {
        this(trackingUri, Settings.defaults());
    }

    public MlflowTracker(String trackingUri, Settings settings) {
        Objects.requireNonNull(trackingUri, "trackingUri");
        if (!trackingUri.startsWith("http://") && !trackingUri.startsWith("https://")) {
            throw new IllegalArgumentException("MLflow tracking URI must start with http:// or https://, got '"
                    + trackingUri + "'");
        }
        this.settings = settings;
        this.rest = new MlflowRest(trackingUri, settings.connectTimeout(), settings.requestTimeout());
        this.health = ServerHealth.of(rest.trackingUri());
        this.experiments = new Experiments(rest);
        this.spool = new Spool(settings.spoolDir());
        this.sender = new SenderThread("mlflow-sender", settings.retryEvery(), this::sendDue);
    }

    public String trackingUri() {
        return rest.trackingUri();
    }

    @Override
    public RunHandle startRun(
            String experiment, String runName, Map<String, String> tags, String parentRunId, boolean resume) {
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(runName, "runName");
        String placeholder = "pending-" + UUID.randomUUID();
        RunTransport requests = new MlflowRunRequests(rest, experiments, parents, new MlflowRunRequests.Identity(
                experiment, runName, tags == null ? Map.of() : Map.copyOf(tags), parentRunId, resume,
                clock.millis()));
        PendingMetrics metrics = new PendingMetrics(settings.pendingMetricsInMemory(),
                spool.runDir(placeholder).resolve("metrics"));
        Outbox outbox = new Outbox(runName, requests, health, metrics, clock, Sleeper.SYSTEM);
        parents.add(placeholder, outbox);
        outboxes.add(outbox);
        // Created now when the server answers, so that id() is MLflow's at once: a sweep hands its parent's id to
        // workers whose trackers cannot resolve this one's placeholder.
        sender.call(outbox::createNow, false);
        return new MlflowRun(placeholder, trackingUri(), outbox, sender, spool, settings.giveUpAfter(),
                settings.endGrace());
    }

    @Override
    public boolean delivered() {
        return delivered;
    }

    /** Ends every run's sending as the outage policy allows, then warns about each run not fully sent. */
    @Override
    public void close() {
        for (Outbox outbox : outboxes) {
            outbox.close();
            sender.call(() -> outbox.flush(settings.giveUpAfter(), settings.endGrace()), false);
        }
        sender.close();
        boolean allSent = true;
        for (Outbox outbox : outboxes) {
            if (outbox.hasPending()) {
                allSent = false;
                LOG.warn("MLflow at {} unreachable; gave up on run '{}', not sent: {}", trackingUri(),
                        outbox.runName(), outbox.describePending());
            }
        }
        outboxes.clear();
        delivered = allSent;
        spool.delete();
    }

    /** The sender thread's regular pass: each run sends what waits, while the backoff allows. */
    private void sendDue() {
        for (Outbox outbox : outboxes) {
            if (!health.due()) {
                return;
            }
            try {
                outbox.sendPass();
            } catch (RuntimeException e) { // a bug must not stop the sending of every other run
                LOG.warn("sending the MLflow records of run '{}' failed", outbox.runName(), e);
            }
        }
    }
}
