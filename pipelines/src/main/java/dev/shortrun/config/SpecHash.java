package dev.shortrun.config;

import com.google.gson.Gson;
import dev.shortrun.model.io.Sha256;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The name-giving hash of a run: SHA-256 over the canonical JSON (sorted keys, canonical number text) of the
 * resolved settings that decide its results. Runner, tracking, resources, output and the pipeline's name are left
 * out, so the same science run elsewhere, or under another name, keeps its hash.
 */
final class SpecHash {
    /** Sections (and top-level keys) that decide what a run computes. */
    static final List<String> SCIENCE = List.of("dataset", "model", "sampler", "learner", "checkpoints", "steps",
            "sample", "interpolate", "reconstruct", "superres");

    private SpecHash() {
    }

    static String of(SortedMap<String, String> params) {
        SortedMap<String, String> science = new TreeMap<>();
        boolean folder = "folder".equals(params.get("dataset.name"));
        params.forEach((key, value) -> {
            String section = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            // Where a named dataset lives on disk does not change the results; a folder's path is its identity.
            boolean location = key.equals("dataset.dir") && !folder;
            if (SCIENCE.contains(section) && !location) {
                science.put(key, value);
            }
        });
        return Sha256.hex(new Gson().toJson(science)).substring(0, 12);
    }
}
