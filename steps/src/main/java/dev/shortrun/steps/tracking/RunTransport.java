package dev.shortrun.steps.tracking;

import dev.shortrun.steps.tracking.MlflowRest.MlflowRejectedException;
import dev.shortrun.steps.tracking.MlflowRest.MlflowUnavailableException;
import java.util.List;

/**
 * The requests that record one run on a tracking server. Each call is one request (creation: a few) that succeeds or
 * throws {@link MlflowUnavailableException} (worth retrying: the server is away or failed) or
 * {@link MlflowRejectedException} (refused: retrying cannot help). {@link Outbox} decides what to send when.
 */
interface RunTransport {
    /** Creates the run, or reopens the newest run of its name when it resumes one. */
    RunOnServer create();

    void send(RunOnServer run, Delivery delivery);

    void sendMetrics(RunOnServer run, List<MetricPoint> points);

    void setStatus(RunOnServer run, String status, long endTimeMs);
}
