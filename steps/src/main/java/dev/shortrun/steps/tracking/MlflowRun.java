package dev.shortrun.steps.tracking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

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
    private volatile boolean imagesTagged;
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

    @Override
    public void logDataset(DatasetInput dataset) {
        outbox.add(new Delivery.Dataset(dataset));
        sender.nudge();
    }

    /**
     * Queues copies of the picture and of its small copy, and once per run the tag that shows the UI's image grids.
     * Their names come from the picture (its series, step, file name and time), so logging the same picture again (a
     * pipeline run again) replaces the same files instead of adding a second copy to the series.
     */
    @Override
    public void logImage(Path png, String key, long step) {
        ImageLayout.checkKey(key);
        if (!Files.isRegularFile(png)) {
            throw new IllegalArgumentException("image " + png + " is not a readable file");
        }
        if (outbox.abandoned()) {
            return;
        }
        long madeMs;
        try {
            madeMs = Files.getLastModifiedTime(png).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the time of " + png + ": " + e.getMessage(), e);
        }
        String uuid = UUID.nameUUIDFromBytes((key + "\n" + step + "\n" + png.getFileName())
                .getBytes(StandardCharsets.UTF_8)).toString();
        Path copy = spool.copy(png, placeholderId);
        Path thumbnail = copy.resolveSibling(copy.getFileName() + ".small.png");
        Thumbnail.write(png, thumbnail, ImageLayout.THUMBNAIL_SIZE);
        outbox.add(new Delivery.Image(copy, thumbnail, key, step, madeMs, uuid));
        if (!imagesTagged) {
            imagesTagged = true;
            outbox.add(new Delivery.Tag(ImageLayout.TAG, "True"));
        }
        sender.nudge();
    }

    /** Queues copies of the model's files; they are sent as one logged model (and registry version). */
    @Override
    public void logModel(LoggedModel model) {
        if (outbox.abandoned()) {
            return;
        }
        SortedMap<String, Path> copies = new TreeMap<>();
        model.files().forEach((path, file) -> copies.put(path, spool.copy(file, placeholderId)));
        outbox.add(new Delivery.Model(model.name(), copies, model.registeredName()));
        sender.nudge();
    }

    /** Queues the terminal status after everything else, then waits for the server as the outage policy allows. */
    @Override
    public void finish(String status, long endTimeMs) {
        RunHandle.checkStatus(status);
        outbox.finish(status, endTimeMs);
        sender.call(() -> outbox.flush(giveUpAfter, endGrace), false);
    }

    /** Sends what is queued, waiting for the server as the outage policy allows; the run keeps its status. */
    @Override
    public void close() {
        sender.call(() -> outbox.flush(giveUpAfter, endGrace), false);
    }
}
