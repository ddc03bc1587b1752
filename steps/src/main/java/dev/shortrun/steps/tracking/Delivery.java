package dev.shortrun.steps.tracking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A record queued for a run other than metric points and its status: sent in the order logged. */
sealed interface Delivery {
    /** What it is, for a warning. */
    String description();

    /** Called once it has left the queue, sent or dropped. */
    default void discard() {
    }

    /** Up to {@link MlflowPayloads#MAX_PARAMS_OR_TAGS_PER_BATCH} params in one request. */
    record Params(List<Map.Entry<String, String>> params) implements Delivery {
        @Override
        public String description() {
            return params.size() + " params";
        }
    }

    record Tag(String key, String value) implements Delivery {
        @Override
        public String description() {
            return "tag " + key;
        }
    }

    /**
     * A file to upload into the run's {@code dir} ("" = its root) as {@code name}, from {@code copy}: a spooled copy
     * of the caller's file, so the caller may change or delete its own at once. The copy is deleted once it has left.
     */
    record Artifact(Path copy, String dir, String name) implements Delivery {
        @Override
        public String description() {
            return "artifact " + (dir.isEmpty() ? "" : dir + "/") + name;
        }

        @Override
        public void discard() {
            try {
                Files.deleteIfExists(copy);
            } catch (IOException ignored) {
                // a leftover spool file costs disk space only; the spool directory goes at the tracker's close
            }
        }
    }
}
