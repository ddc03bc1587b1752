package dev.shortrun.steps.tracking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

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
            deleteQuietly(copy);
        }
    }

    /** The data set a run learns from: MLflow's {@code runs/log-inputs}. */
    record Dataset(DatasetInput input) implements Delivery {
        @Override
        public String description() {
            return "dataset input " + input.name();
        }
    }

    /**
     * A picture of an image series: spooled copies of the picture and of its thumbnail, uploaded under the names of
     * MLflow's image layout ({@link ImageLayout}), fixed when logged so that a retry overwrites the same files.
     */
    record Image(Path copy, Path thumbnailCopy, String key, long step, long timestampMs, String uuid)
            implements Delivery {
        @Override
        public String description() {
            return "image " + key + " step " + step;
        }

        @Override
        public void discard() {
            deleteQuietly(copy);
            deleteQuietly(thumbnailCopy);
        }
    }

    /**
     * A model: spooled copies of its files, sent in several requests (create, upload, finalize, link to the run,
     * register). What was done is remembered here, so a retry after an outage goes on where it stopped instead of
     * logging the model twice. Sender thread only, except {@link #description()}.
     */
    final class Model implements Delivery {
        private final String name;
        private final SortedMap<String, Path> copies;
        private final String registeredName;
        private volatile String modelId;
        private String artifactRoot;
        private int filesSent;
        private boolean ready;
        private boolean registered;

        Model(String name, SortedMap<String, Path> copies, String registeredName) {
            this.name = name;
            this.copies = copies;
            this.registeredName = registeredName;
        }

        String name() {
            return name;
        }

        String registeredName() {
            return registeredName;
        }

        String modelId() {
            return modelId;
        }

        String artifactRoot() {
            return artifactRoot;
        }

        /** The model exists on the server: created now, or (ready) logged by an earlier attempt of the run. */
        void created(String id, String root, boolean alreadyReady) {
            modelId = id;
            artifactRoot = root;
            ready = alreadyReady;
            if (alreadyReady) {
                filesSent = copies.size();
            }
        }

        /** The next file to upload as (path in the model, spooled copy), or null when all are sent. */
        Map.Entry<String, Path> nextFile() {
            return filesSent < copies.size() ? List.copyOf(copies.entrySet()).get(filesSent) : null;
        }

        void fileSent() {
            filesSent++;
        }

        boolean ready() {
            return ready;
        }

        void madeReady() {
            ready = true;
        }

        boolean registered() {
            return registered || registeredName == null;
        }

        void madeRegistered() {
            registered = true;
        }

        @Override
        public String description() {
            return "model " + name + (modelId == null ? "" : " (" + modelId + ")");
        }

        @Override
        public void discard() {
            copies.values().forEach(Delivery::deleteQuietly);
        }
    }

    private static void deleteQuietly(Path copy) {
        try {
            Files.deleteIfExists(copy);
        } catch (IOException ignored) {
            // a leftover spool file costs disk space only; the spool directory goes at the tracker's close
        }
    }
}
