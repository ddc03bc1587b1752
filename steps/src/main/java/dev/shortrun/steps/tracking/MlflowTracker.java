package dev.shortrun.steps.tracking;

import com.google.gson.JsonObject;
import dev.shortrun.steps.tracking.MlflowRest.MlflowRejectedException;
import dev.shortrun.steps.tracking.MlflowRest.MlflowUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Records runs in an MLflow tracking server through its REST API.
 *
 * <p>A server outage never stops a run: what cannot be sent (even the creation of the run itself) waits in memory,
 * metrics beyond a bound spill to disk, and everything is retried with backoff on later log calls, by a background
 * thread, and at {@link RunHandle#finish}. See {@link MlflowRun}.
 */
public final class MlflowTracker implements Tracker {
    static final System.Logger LOG = System.getLogger(MlflowTracker.class.getName());

    /**
     * @param pendingMetricsInMemory metric points held in memory per run while the server is away; more spill to disk
     * @param finishWait how long {@link RunHandle#finish} keeps retrying before leaving the rest to the background
     * @param closeWait how long {@link #close()} keeps retrying before giving up on what is still queued
     * @param spoolDir under which queued artifacts and spilled metrics wait; null = the system's temporary directory
     */
    public record Settings(Duration connectTimeout, Duration requestTimeout, Duration retryEvery,
            Duration maxBackoff, Duration finishWait, Duration closeWait, int pendingMetricsInMemory, Path spoolDir) {
        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(2), Duration.ofSeconds(15), Duration.ofSeconds(1),
                    Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(60), 1_000_000, null);
        }

        public Settings withPendingMetricsInMemory(int points) {
            return new Settings(connectTimeout, requestTimeout, retryEvery, maxBackoff, finishWait, closeWait,
                    points, spoolDir);
        }

        public Settings withWaits(Duration finish, Duration close) {
            return new Settings(connectTimeout, requestTimeout, retryEvery, maxBackoff, finish, close,
                    pendingMetricsInMemory, spoolDir);
        }
    }

    private final MlflowRest rest;
    private final Settings settings;
    private final Backoff backoff;
    private final List<MlflowRun> runs = new CopyOnWriteArrayList<>();
    private final Map<String, MlflowRun> runsByPlaceholder = new ConcurrentHashMap<>();
    private final Map<String, String> experimentIds = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retrier;
    private Path spoolDir;
    private volatile boolean reportedOutage;
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
        this.backoff = new Backoff(settings.maxBackoff().toMillis(), System::currentTimeMillis);
        this.retrier = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mlflow-retry");
            t.setDaemon(true); // never keeps a finished pipeline's JVM alive
            return t;
        });
        long every = settings.retryEvery().toMillis();
        retrier.scheduleWithFixedDelay(this::sendPendingOfAllRuns, every, every, TimeUnit.MILLISECONDS);
    }

    public String trackingUri() {
        return rest.trackingUri();
    }

    @Override
    public RunHandle startRun(
            String experiment, String runName, Map<String, String> tags, String parentRunId, boolean resume) {
        Objects.requireNonNull(experiment, "experiment");
        Objects.requireNonNull(runName, "runName");
        MlflowRun run = new MlflowRun(this, experiment, runName, tags == null ? Map.of() : tags, parentRunId, resume);
        runsByPlaceholder.put(run.placeholderId(), run);
        runs.add(run);
        run.sendPending(false);
        return run;
    }

    @Override
    public boolean delivered() {
        return delivered;
    }

    /** Flushes every run for up to {@code closeWait}, then stops retrying and warns about anything left unsent. */
    @Override
    public void close() {
        long deadline = System.currentTimeMillis() + settings.closeWait().toMillis();
        for (MlflowRun run : runs) {
            run.flushUntil(deadline);
        }
        retrier.shutdownNow();
        boolean allSent = true;
        for (MlflowRun run : runs) {
            if (run.hasPending()) {
                allSent = false;
                LOG.log(Level.WARNING, "MLflow at {0} still unreachable at close: run ''{1}'' loses {2}",
                        trackingUri(), run.runName(), run.describePending());
            }
        }
        runs.clear();
        delivered = allSent;
        if (allSent) {
            deleteSpoolDir();
        }
    }

    // ---- shared by the runs ----

    MlflowRest rest() {
        return rest;
    }

    Settings settings() {
        return settings;
    }

    Backoff backoff() {
        return backoff;
    }

    void serverAnswered() {
        backoff.succeeded();
        if (reportedOutage) {
            reportedOutage = false;
            LOG.log(Level.INFO, "MLflow at {0} reachable again; sending what was queued", trackingUri());
        }
    }

    void serverUnavailable(MlflowUnavailableException e) {
        backoff.failed();
        if (!reportedOutage) {
            reportedOutage = true;
            LOG.log(Level.WARNING, "{0}; runs go on, queueing their records and retrying", e.getMessage());
        }
    }

    /** Experiment id by name, creating the experiment when it does not exist. */
    String experimentId(String name) {
        String known = experimentIds.get(name);
        if (known != null) {
            return known;
        }
        String id;
        try {
            id = rest.get("experiments/get-by-name", Map.of("experiment_name", name))
                    .getAsJsonObject("experiment").get("experiment_id").getAsString();
        } catch (MlflowRejectedException e) {
            if (!"RESOURCE_DOES_NOT_EXIST".equals(e.errorCode())) {
                throw e;
            }
            JsonObject body = new JsonObject();
            body.addProperty("name", name);
            try {
                id = rest.post("experiments/create", body).get("experiment_id").getAsString();
            } catch (MlflowRejectedException raced) { // another process created it meanwhile
                if (!"RESOURCE_ALREADY_EXISTS".equals(raced.errorCode())) {
                    throw raced;
                }
                return experimentId(name);
            }
        }
        experimentIds.put(name, id);
        return id;
    }

    /**
     * The MLflow id for a parent reference: a real id as is, a pending run's placeholder once that run exists;
     * null while it does not yet, "" when the server refused to create it.
     */
    String resolveRunId(String idOrPlaceholder) {
        MlflowRun pending = runsByPlaceholder.get(idOrPlaceholder);
        if (pending == null) {
            return idOrPlaceholder;
        }
        if (pending.ensureCreatedNow()) {
            return pending.id();
        }
        return pending.abandoned() ? "" : null;
    }

    synchronized Path spoolDir(String runPlaceholder) {
        try {
            if (spoolDir == null) {
                // A directory of our own, so deleting it at close cannot touch anything else.
                spoolDir = settings.spoolDir() != null
                        ? Files.createTempDirectory(Files.createDirectories(settings.spoolDir()), "shortrun-mlflow-spool-")
                        : Files.createTempDirectory("shortrun-mlflow-spool-");
            }
            return Files.createDirectories(spoolDir.resolve(runPlaceholder));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a spool directory for queued MLflow records", e);
        }
    }

    /** Removes the spool directory once nothing in it is needed; a leftover costs disk space only. */
    private synchronized void deleteSpoolDir() {
        if (spoolDir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(spoolDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.log(Level.DEBUG, "could not delete " + spoolDir, e);
        }
        spoolDir = null;
    }

    private void sendPendingOfAllRuns() {
        for (MlflowRun run : runs) {
            try {
                run.sendPending(false);
            } catch (RuntimeException e) { // a bug must not kill the retry thread for every other run
                LOG.log(Level.WARNING, "retrying MLflow records of run ''" + run.runName() + "'' failed", e);
            }
        }
    }
}
