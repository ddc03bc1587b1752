package dev.shortrun.steps.tracking;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One run recorded in MLflow. Log calls queue records in the run's {@link Outbox} and return at once; the tracker's
 * sender thread delivers them. The run's end ({@link #finish}, {@link #close}) waits for the server as the outage
 * policy of {@link MlflowTracker} allows.
 */
final class MlflowRun implements RunHandle {
    private final String placeholderId;
    private final String trackingUri;
    private final Outbox outbox;
    private final SenderThread sender;
    private final Spool spool;
    private final Duration giveUpAfter;
    private final Duration endGrace;

    MlflowRun(String placeholderId, String trackingUri, Outbox outbox, SenderThread sender, Spool spool,
            Duration giveUpAfter, Duration endGrace) {
        this.placeholderId = placeholderId;
        this.trackingUri = trackingUri;
        this.outbox = outbox;
        this.sender = sender;
        this.spool = spool;
        this.giveUpAfter = giveUpAfter;
        this.endGrace = endGrace;
    }

    /** MLflow's run id, or the placeholder the run carries until the server has it. */
    @Override
    public String id() {
        RunOnServer run = outbox.run();
        return run != null ? run.runId() : placeholderId;
    }

    /** The run's page in the MLflow UI; the experiments page while the run waits to be created. */
    @Override
    public String url() {
        RunOnServer run = outbox.run();
        return run == null ? trackingUri + "/#/experiments"
                : trackingUri + "/#/experiments/" + run.experimentId() + "/runs/" + run.runId();
    }

    @Override
    public void logParams(Map<String, String> params) {
        List<Map.Entry<String, String>> entries = new ArrayList<>(params.entrySet());
        for (int from = 0; from < entries.size(); from += MlflowPayloads.MAX_PARAMS_OR_TAGS_PER_BATCH) {
            int to = Math.min(entries.size(), from + MlflowPayloads.MAX_PARAMS_OR_TAGS_PER_BATCH);
            outbox.add(new Delivery.Params(List.copyOf(entries.subList(from, to))));
        }
        sender.nudge();
    }

    @Override
    public void setTag(String key, String value) {
        outbox.add(new Delivery.Tag(key, value));
        sender.nudge();
    }

    @Override
    public void logMetrics(long step, Map<String, Double> values) {
        if (outbox.addMetrics(step, values) >= MlflowPayloads.MAX_METRICS_PER_BATCH) {
            sender.nudge(); // otherwise the sender's next pass sends them within a second
        }
    }

    /**
     * Creates (reopens) the run now when the server is up, so that points already recorded are left out as they are
     * logged (a resumed training replays its whole history); otherwise they are left out when sent.
     */
    @Override
    public void skipStepsAlreadyRecorded() {
        outbox.skipRecorded();
        sender.call(outbox::createNow, false);
    }

    /** Queues a copy of the file, so the caller may change or delete it while the upload waits. */
    @Override
    public void logArtifact(Path file, String artifactDir) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("artifact " + file + " is not a readable file");
        }
        String dir = ArtifactDirs.normalize(artifactDir);
        if (outbox.abandoned()) {
            return;
        }
        outbox.add(new Delivery.Artifact(spool.copy(file, placeholderId), dir, file.getFileName().toString()));
        sender.nudge();
    }

    /** Queues the terminal status after everything else, then waits for the server as the outage policy allows. */
    @Override
    public void finish(String status) {
        RunHandle.checkStatus(status);
        outbox.finish(status);
        sender.call(() -> outbox.flush(giveUpAfter, endGrace), false);
    }

    /**
     * Sends what is queued, waiting for the server as the outage policy allows. The run stays open, unless it had
     * ended before it was reopened here: then it gets that status back.
     */
    @Override
    public void close() {
        outbox.close();
        sender.call(() -> outbox.flush(giveUpAfter, endGrace), false);
    }
}
