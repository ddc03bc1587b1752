package dev.shortrun.steps.tracking;

import java.nio.file.Path;

/** Picks the tracker a pipeline uses from its configuration. */
public final class Trackers {
    private Trackers() {}

    /**
     * Always records runs under {@code localRoot}; also in MLflow when {@code trackingUri} is given.
     *
     * @param trackingUri an MLflow tracking server such as {@code http://127.0.0.1:5000}, or null/"" for local only
     */
    public static Tracker fromUri(String trackingUri, Path localRoot) {
        LocalTracker local = new LocalTracker(localRoot);
        if (trackingUri == null || trackingUri.isBlank()) {
            return local;
        }
        return new CompositeTracker(local, new MlflowTracker(trackingUri.trim()));
    }
}
