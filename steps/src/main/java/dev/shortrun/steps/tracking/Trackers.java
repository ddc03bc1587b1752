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
        return of(localRoot, trackingUri);
    }

    /** Records under {@code localRoot} unless it is null, and in MLflow unless {@code trackingUri} is null or "". */
    public static Tracker of(Path localRoot, String trackingUri) {
        boolean mlflow = trackingUri != null && !trackingUri.isBlank();
        if (localRoot == null) {
            if (!mlflow) {
                throw new IllegalArgumentException("a tracker needs a local directory, an MLflow URI or both");
            }
            return new MlflowTracker(trackingUri.trim());
        }
        LocalTracker local = new LocalTracker(localRoot);
        return mlflow ? new CompositeTracker(local, new MlflowTracker(trackingUri.trim())) : local;
    }
}
