package dev.shortrun.steps.tracking;

/**
 * A run as the tracking server knows it once created or reopened.
 *
 * @param artifactRoot where the server keeps the run's artifacts, e.g. {@code mlflow-artifacts:/1/abc/artifacts}
 * @param earlier      what earlier attempts left in a reopened run; {@link Earlier#none()} for a new one
 */
record RunOnServer(String runId, String experimentId, String artifactRoot, Earlier earlier) {

    /** @param recorded the last step of each metric */
    record Earlier(RecordedSteps recorded) {
        static Earlier none() {
            return new Earlier(new RecordedSteps());
        }
    }
}
