package dev.shortrun.steps.tracking;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A model a run logs: the files of an MLflow model directory (an {@code MLmodel} file and what it names), and the
 * Model Registry name to register it under, if any.
 *
 * @param name           the model's name within the run, e.g. {@code model} (MLflow 3: the logged model's name)
 * @param files          path inside the model directory (forward slashes) -> the file to upload there
 * @param registeredName a registered model to add this model to as a new version, or null
 */
public record LoggedModel(String name, SortedMap<String, Path> files, String registeredName) {
    public static final String MLMODEL = "MLmodel";

    public LoggedModel {
        Objects.requireNonNull(name, "name");
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
        if (!files.containsKey(MLMODEL)) {
            throw new IllegalArgumentException("an MLflow model needs an " + MLMODEL + " file, got " + files.keySet());
        }
        files.keySet().forEach(ArtifactDirs::normalize); // relative, no ".."
    }
}
