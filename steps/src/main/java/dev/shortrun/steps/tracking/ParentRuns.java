package dev.shortrun.steps.tracking;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tracker's runs by the placeholder ids they carry until the server has them, so that a child started while its
 * parent still waits (a sweep started during an outage) is created under the parent's real id.
 */
final class ParentRuns {
    private final Map<String, Outbox> byPlaceholder = new ConcurrentHashMap<>();

    void add(String placeholder, Outbox outbox) {
        byPlaceholder.put(placeholder, outbox);
    }

    /**
     * MLflow's id for a parent reference: a real id as it is; a placeholder's run once created (creating it now if
     * need be: sender thread only); empty when the server refused to create that run, so the child goes without.
     *
     * @throws MlflowUnavailableException while the parent cannot be created yet
     */
    Optional<String> resolve(String reference) {
        Outbox parent = byPlaceholder.get(reference);
        if (parent == null) {
            return Optional.of(reference);
        }
        return parent.ensureCreated() ? Optional.of(parent.run().runId()) : Optional.empty();
    }
}
