package dev.shortrun.spec;

import com.google.gson.Gson;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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
        return sha256(new Gson().toJson(science)).substring(0, 12);
    }

    private static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
