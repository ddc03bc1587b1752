package dev.shortrun.steps.tracking;

/**
 * A run as the tracking server knows it once created or reopened.
 *
 * @param artifactRoot where the server keeps the run's artifacts, e.g. {@code mlflow-artifacts:/1/abc/artifacts}
 * @param earlier      what earlier attempts left in a reopened run; {@link Earlier#none()} for a new one
 */
record RunOnServer(String runId, String experimentId, String artifactRoot, Earlier earlier) {

    /**
     * @param recorded  the last step of each metric
     * @param status    the run's status when reopened; null for a new run
     * @param endTimeMs its end time then
     */
    record Earlier(RecordedSteps recorded, String status, long endTimeMs) {
        static Earlier none() {
            return new Earlier(new RecordedSteps(), null, 0);
        }

        /** Whether the run had ended: reopened only to add records, it gets that status back at its close. */
        boolean ended() {
            return RunHandle.ended(status);
        }
    }
}
