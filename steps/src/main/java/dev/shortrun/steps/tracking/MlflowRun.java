package dev.shortrun.steps.tracking;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.shortrun.steps.tracking.MlflowRest.MlflowRejectedException;
import dev.shortrun.steps.tracking.MlflowRest.MlflowUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One MLflow run and the records still waiting to reach the server.
 *
 * <p>Log calls only queue (under {@code this}); sending happens under {@link #sending} in a fixed order: create (or
 * find) the run, then params/tags/artifacts in the order logged, then metrics in batches of 1000, then the terminal
 * status last. A record leaves its queue only after the server accepted it, so an outage loses nothing; a retry after
 * a reply lost in flight can at worst repeat a batch. Records the server refuses (4xx), or that keep failing with 5xx,
 * are dropped with a warning because sending them again cannot help.
 */
final class MlflowRun implements RunHandle {
    static final int MAX_METRICS_PER_BATCH = 1000;
    static final int MAX_PARAMS_OR_TAGS_PER_BATCH = 100;
    static final int MAX_PARAM_VALUE_LENGTH = 6000;
    static final int MAX_TAG_VALUE_LENGTH = 8000;
    private static final int MAX_SERVER_ERRORS_PER_RECORD = 5;
    private static final String RUNNING = "RUNNING";

    private final MlflowTracker tracker;
    private final String experimentName;
    private final String runName;
    private final Map<String, String> startTags;
    private final String parentRef;
    private final boolean resume;
    private final long startTimeMs = System.currentTimeMillis();
    private final String placeholderId = "pending-" + UUID.randomUUID();
    private final ReentrantLock sending = new ReentrantLock();

    // Set once the server has the run; volatile so log calls read them without the sending lock.
    private volatile String runId;
    private volatile String experimentId;
    private volatile String artifactRoot;
    private volatile RecordedSteps recorded = new RecordedSteps(); // replaced (never changed) when reopened
    private volatile boolean skipRecorded;

    // Guarded by this.
    private final Deque<PendingRecord> records = new ArrayDeque<>();
    private final PendingMetrics metrics;
    private String terminalStatus;
    private long endTimeMs;
    private boolean terminalSent;
    private boolean abandoned; // the server refused to create the run: nothing for it can ever be sent
    private boolean warnedSpill;
    private int metricBatchServerErrors;

    MlflowRun(MlflowTracker tracker, String experimentName, String runName, Map<String, String> tags,
            String parentRef, boolean resume) {
        this.tracker = tracker;
        this.experimentName = experimentName;
        this.runName = runName;
        this.startTags = new LinkedHashMap<>(tags);
        this.parentRef = parentRef;
        this.resume = resume;
        this.metrics = new PendingMetrics(tracker.settings().pendingMetricsInMemory(),
                tracker.spoolDir(placeholderId).resolve("metrics"));
    }

    @Override
    public String id() {
        String id = runId;
        return id != null ? id : placeholderId;
    }

    /** The run's page in the MLflow UI; the experiments page while the run waits to be created. */
    @Override
    public String url() {
        String id = runId;
        return id == null ? tracker.trackingUri() + "/#/experiments"
                : tracker.trackingUri() + "/#/experiments/" + experimentId + "/runs/" + id;
    }

    String runName() {
        return runName;
    }

    String placeholderId() {
        return placeholderId;
    }

    synchronized boolean abandoned() {
        return abandoned;
    }

    @Override
    public void logParams(Map<String, String> params) {
        List<Map.Entry<String, String>> entries = new ArrayList<>(params.entrySet());
        for (int from = 0; from < entries.size(); from += MAX_PARAMS_OR_TAGS_PER_BATCH) {
            JsonArray batch = new JsonArray();
            for (Map.Entry<String, String> e : entries.subList(from,
                    Math.min(entries.size(), from + MAX_PARAMS_OR_TAGS_PER_BATCH))) {
                batch.add(keyValue(e.getKey(), truncated(e.getValue(), MAX_PARAM_VALUE_LENGTH)));
            }
            queue(new PendingRecord(batch.size() + " params", () -> logBatch("params", batch)));
        }
        sendPending(false);
    }

    @Override
    public void setTag(String key, String value) {
        JsonArray batch = new JsonArray();
        batch.add(keyValue(key, truncated(value, MAX_TAG_VALUE_LENGTH)));
        queue(new PendingRecord("tag " + key, () -> logBatch("tags", batch)));
        sendPending(false);
    }

    @Override
    public void logMetrics(long step, Map<String, Double> values) {
        long now = System.currentTimeMillis();
        long pending;
        boolean skip = skipRecorded && runId != null;
        synchronized (this) {
            if (abandoned) {
                return;
            }
            for (Map.Entry<String, Double> e : values.entrySet()) {
                if (skip && recorded.covers(e.getKey(), step)) {
                    continue;
                }
                boolean spilled = metrics.add(new MetricPoint(e.getKey(), e.getValue(), step, now));
                if (spilled && !warnedSpill) {
                    warnedSpill = true;
                    MlflowTracker.LOG.log(Level.WARNING, "run ''{0}'': MLflow unreachable and {1} metric points "
                            + "queued in memory; spilling further points to disk until it returns",
                            runName, metrics.size() - 1);
                }
            }
            pending = metrics.size();
        }
        if (pending >= MAX_METRICS_PER_BATCH) {
            sendPending(false); // otherwise the background thread sends them within a second
        }
    }

    /**
     * Reopens the run now when the server is up, so that points already recorded are left out as they are logged
     * (a resumed training replays its whole history); otherwise they are left out when sent.
     */
    @Override
    public void skipStepsAlreadyRecorded() {
        skipRecorded = true;
        ensureCreatedNow();
    }

    /**
     * Uploads at once when the server is up; otherwise copies the file to the spool directory first, so the caller
     * may change or delete it and the upload later still sends what was logged.
     */
    @Override
    public void logArtifact(Path file, String artifactDir) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("artifact " + file + " is not a readable file");
        }
        synchronized (this) {
            if (abandoned) {
                return;
            }
        }
        String dir = ArtifactDirs.normalize(artifactDir);
        String name = file.getFileName().toString();
        if (runId != null && tracker.backoff().due() && sending.tryLock()) {
            try {
                uploadArtifact(file, dir, name);
                tracker.serverAnswered();
                return;
            } catch (MlflowUnavailableException e) {
                tracker.serverUnavailable(e);
            } catch (MlflowRejectedException e) {
                MlflowTracker.LOG.log(Level.WARNING, "run ''{0}'': artifact {1} dropped: {2}",
                        runName, file, e.getMessage());
                return;
            } finally {
                sending.unlock();
            }
        }
        Path copy = spoolCopy(file);
        queue(new PendingRecord("artifact " + (dir.isEmpty() ? "" : dir + "/") + name, () -> {
            uploadArtifact(copy, dir, name);
            deleteQuietly(copy);
        }));
    }

    /** Queues the terminal status after everything else and keeps trying for {@code finishWait}. */
    @Override
    public void finish(String status) {
        RunHandle.checkStatus(status);
        synchronized (this) {
            terminalStatus = status;
            endTimeMs = System.currentTimeMillis();
        }
        flushUntil(System.currentTimeMillis() + tracker.settings().finishWait().toMillis());
        if (hasPending()) {
            MlflowTracker.LOG.log(Level.WARNING, "run ''{0}'': MLflow unreachable at finish; {1} still queued, "
                    + "retried in the background until the tracker closes", runName, describePending());
        }
    }

    /** One attempt to send everything queued; what fails stays queued for the background retries. */
    @Override
    public void close() {
        sendPending(true);
    }

    synchronized boolean hasPending() {
        if (abandoned) {
            return false;
        }
        return runId == null || !records.isEmpty() || !metrics.isEmpty() || (terminalStatus != null && !terminalSent);
    }

    synchronized String describePending() {
        return (runId == null ? "the run's creation, " : "") + records.size() + " records (params, tags, artifacts), "
                + metrics.size() + " metric points" + (terminalStatus != null && !terminalSent
                        ? " and the status " + terminalStatus : "");
    }

    void flushUntil(long deadlineMs) {
        while (!sendPending(true) && System.currentTimeMillis() < deadlineMs) {
            try {
                Thread.sleep(Math.min(500, Math.max(1, deadlineMs - System.currentTimeMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Creates the run now if possible (a child needs its parent's id); true once the server has it. */
    boolean ensureCreatedNow() {
        if (runId != null) {
            return true;
        }
        sending.lock();
        try {
            return ensureCreated();
        } catch (MlflowUnavailableException e) {
            tracker.serverUnavailable(e);
            return false;
        } finally {
            sending.unlock();
        }
    }

    /**
     * Sends what is queued, in order, until done or the server fails. Without {@code force} it neither waits for
     * another thread that is sending nor calls a server that is in backoff, so log calls stay fast in an outage.
     *
     * @return true when nothing is left to send
     */
    boolean sendPending(boolean force) {
        if (force) {
            sending.lock();
        } else if (!tracker.backoff().due() || !sending.tryLock()) {
            return !hasPending();
        }
        try {
            if (!ensureCreated()) {
                return !hasPending(); // an abandoned run has nothing left to send
            }
            sendRecords();
            sendMetrics();
            sendTerminalStatus();
            tracker.serverAnswered();
            return !hasPending();
        } catch (MlflowUnavailableException e) {
            tracker.serverUnavailable(e);
            return false;
        } finally {
            sending.unlock();
        }
    }

    // ---- sending; all below run with the sending lock held ----

    private boolean ensureCreated() {
        if (runId != null) {
            return true;
        }
        synchronized (this) {
            if (abandoned) {
                return false;
            }
        }
        try {
            return createOrReopen();
        } catch (MlflowRejectedException e) {
            MlflowTracker.LOG.log(Level.WARNING, "MLflow refused to create run ''{0}'' in experiment ''{1}''; "
                    + "nothing of it is sent to MLflow: {2}", runName, experimentName, e.getMessage());
            synchronized (this) {
                abandoned = true;
                records.clear();
                metrics.clear();
            }
            return false;
        }
    }

    private boolean createOrReopen() {
        String parentId = parentRef == null ? null : tracker.resolveRunId(parentRef);
        if (parentRef != null && parentId == null) {
            return false; // the parent waits for the server too
        }
        if (parentId != null && parentId.isEmpty()) {
            parentId = null; // the server refused the parent; the child still gets recorded
        }
        String expId = tracker.experimentId(experimentName);
        JsonObject found = resume ? findNewestRunNamed(expId) : null;
        JsonObject info;
        if (found != null) {
            info = found.getAsJsonObject("info");
            recorded = lastSteps(found);
            JsonObject reopen = new JsonObject();
            reopen.addProperty("run_id", info.get("run_id").getAsString());
            reopen.addProperty("status", RUNNING);
            tracker.rest().post("runs/update", reopen);
        } else {
            info = createRun(expId, parentId);
        }
        experimentId = expId;
        artifactRoot = info.get("artifact_uri").getAsString();
        runId = info.get("run_id").getAsString();
        return true;
    }

    private JsonObject createRun(String expId, String parentId) {
        JsonArray tags = new JsonArray();
        Map<String, String> all = new LinkedHashMap<>(startTags);
        all.put("mlflow.runName", runName);
        if (parentId != null) {
            all.put("mlflow.parentRunId", parentId);
        }
        all.forEach((k, v) -> tags.add(keyValue(k, truncated(v, MAX_TAG_VALUE_LENGTH))));
        JsonObject body = new JsonObject();
        body.addProperty("experiment_id", expId);
        body.addProperty("run_name", runName);
        body.addProperty("start_time", startTimeMs);
        body.add("tags", tags);
        return tracker.rest().post("runs/create", body).getAsJsonObject("run").getAsJsonObject("info");
    }

    private JsonObject findNewestRunNamed(String expId) {
        JsonObject body = new JsonObject();
        JsonArray experiments = new JsonArray();
        experiments.add(expId);
        body.add("experiment_ids", experiments);
        body.addProperty("filter", "tags.mlflow.runName = '" + runName.replace("'", "\\'") + "'");
        JsonArray order = new JsonArray();
        order.add("attributes.start_time DESC");
        body.add("order_by", order);
        body.addProperty("max_results", 1);
        JsonObject found = tracker.rest().post("runs/search", body);
        if (!found.has("runs") || found.getAsJsonArray("runs").isEmpty()) {
            return null;
        }
        return found.getAsJsonArray("runs").get(0).getAsJsonObject();
    }

    /** The step of each metric's latest point, which MLflow's run data holds: the one at the highest step. */
    private static RecordedSteps lastSteps(JsonObject run) {
        RecordedSteps steps = new RecordedSteps();
        JsonObject data = run.getAsJsonObject("data");
        if (data != null && data.has("metrics")) {
            for (var metric : data.getAsJsonArray("metrics")) {
                JsonObject m = metric.getAsJsonObject();
                steps.add(m.get("key").getAsString(), m.has("step") ? m.get("step").getAsLong() : 0);
            }
        }
        return steps;
    }

    private void sendRecords() {
        while (true) {
            PendingRecord next;
            synchronized (this) {
                next = records.peekFirst();
            }
            if (next == null) {
                return;
            }
            try {
                next.sender().send();
            } catch (MlflowRejectedException e) {
                MlflowTracker.LOG.log(Level.WARNING, "run ''{0}'': MLflow refused {1}, dropped: {2}",
                        runName, next.description(), e.getMessage());
            } catch (MlflowUnavailableException e) {
                if (!e.serverError() || ++next.serverErrors < MAX_SERVER_ERRORS_PER_RECORD) {
                    throw e;
                }
                MlflowTracker.LOG.log(Level.WARNING, "run ''{0}'': {1} failed {2} times, dropped: {3}",
                        runName, next.description(), MAX_SERVER_ERRORS_PER_RECORD, e.getMessage());
            }
            synchronized (this) {
                records.removeFirst();
            }
        }
    }

    private void sendMetrics() {
        while (true) {
            List<MetricPoint> batch;
            synchronized (this) {
                batch = metrics.peek(MAX_METRICS_PER_BATCH);
            }
            if (batch.isEmpty()) {
                return;
            }
            JsonArray json = new JsonArray();
            for (MetricPoint p : batch) {
                if (skipRecorded && recorded.covers(p.key(), p.step())) {
                    continue;
                }
                JsonObject m = new JsonObject();
                m.addProperty("key", p.key());
                // MLflow's JSON reads non-finite doubles as the strings "NaN", "Infinity", "-Infinity".
                if (Double.isFinite(p.value())) {
                    m.addProperty("value", p.value());
                } else {
                    m.addProperty("value", Double.toString(p.value()));
                }
                m.addProperty("timestamp", p.timestampMs());
                m.addProperty("step", p.step());
                json.add(m);
            }
            try {
                if (!json.isEmpty()) {
                    logBatch("metrics", json);
                }
                metricBatchServerErrors = 0;
            } catch (MlflowRejectedException e) {
                MlflowTracker.LOG.log(Level.WARNING, "run ''{0}'': MLflow refused {1} metric points, dropped: {2}",
                        runName, batch.size(), e.getMessage());
            } catch (MlflowUnavailableException e) {
                if (!e.serverError() || ++metricBatchServerErrors < MAX_SERVER_ERRORS_PER_RECORD) {
                    throw e;
                }
                metricBatchServerErrors = 0;
                MlflowTracker.LOG.log(Level.WARNING, "run ''{0}'': {1} metric points failed {2} times, dropped: {3}",
                        runName, batch.size(), MAX_SERVER_ERRORS_PER_RECORD, e.getMessage());
            }
            synchronized (this) {
                metrics.remove(batch.size());
            }
        }
    }

    private void sendTerminalStatus() {
        String status;
        long end;
        synchronized (this) {
            if (terminalStatus == null || terminalSent || !records.isEmpty() || !metrics.isEmpty()) {
                return;
            }
            status = terminalStatus;
            end = endTimeMs;
        }
        JsonObject body = new JsonObject();
        body.addProperty("run_id", runId);
        body.addProperty("status", status);
        body.addProperty("end_time", end);
        tracker.rest().post("runs/update", body);
        synchronized (this) {
            terminalSent = true;
        }
    }

    private void logBatch(String field, JsonArray entries) {
        JsonObject body = new JsonObject();
        body.addProperty("run_id", runId);
        body.add(field, entries);
        tracker.rest().post("runs/log-batch", body);
    }

    private void uploadArtifact(Path file, String dir, String name) {
        String prefix = "mlflow-artifacts:/";
        if (!artifactRoot.startsWith(prefix)) {
            throw new MlflowRejectedException("run artifact root " + artifactRoot + " is not served by the tracking "
                    + "server; start it with artifact serving (infra/mlflow/start.sh does)", "NO_ARTIFACT_PROXY");
        }
        // The proxy path is the artifact root without its scheme: <experimentId>/<runId>/artifacts/...
        String root = artifactRoot.substring(prefix.length()).replaceAll("^/+", "").replaceAll("/+$", "");
        tracker.rest().putArtifact(root + "/" + (dir.isEmpty() ? "" : dir + "/") + name, file);
    }

    // ---- queueing ----

    private synchronized void queue(PendingRecord record) {
        if (!abandoned) {
            records.addLast(record);
        }
    }

    private Path spoolCopy(Path file) {
        try {
            Path dir = tracker.spoolDir(placeholderId).resolve("artifacts");
            Files.createDirectories(dir);
            Path copy = Files.createTempFile(dir, "artifact-", ".bin");
            Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot queue artifact " + file + " while MLflow is unreachable", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover spool file costs disk space only
        }
    }

    private static JsonObject keyValue(String key, String value) {
        JsonObject kv = new JsonObject();
        kv.addProperty("key", key);
        kv.addProperty("value", value);
        return kv;
    }

    /** MLflow refuses longer values; keep the start and say how much was cut. */
    static String truncated(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        String note = "...[truncated by shortrun: " + value.length() + " chars in all]";
        return value.substring(0, max - note.length()) + note;
    }

    /** A queued params/tags batch or artifact upload. */
    private static final class PendingRecord {
        private final String description;
        private final Sender sender;
        int serverErrors;

        PendingRecord(String description, Sender sender) {
            this.description = description;
            this.sender = sender;
        }

        String description() {
            return description;
        }

        Sender sender() {
            return sender;
        }
    }

    @FunctionalInterface
    private interface Sender {
        void send();
    }
}
