package dev.shortrun.config;

import com.google.gson.Gson;
import dev.shortrun.model.data.DatasetFormats;
import dev.shortrun.model.io.Sha256;
import dev.shortrun.steps.settings.DatasetSettings;
import dev.shortrun.steps.settings.Setting;
import dev.shortrun.steps.settings.SettingsCatalog;

import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The name-giving hash of a run: SHA-256 over the canonical JSON (sorted keys, canonical number text) of the
 * resolved settings that decide its results, those declared {@link Setting#hashed()}. Runner, tracking, resources,
 * output, the evaluation steps' settings and the pipeline's name are left out, so the same science run elsewhere,
 * or under another name, keeps its hash.
 */
final class SpecHash {
    private SpecHash() {
    }

    static String of(SortedMap<String, String> params) {
        SortedMap<String, String> science = new TreeMap<>();
        boolean located = DatasetFormats.get(params.get(DatasetSettings.NAME.path())).locationIsIdentity();
        params.forEach((key, value) -> {
            // Where a named dataset lives on disk does not change the results; a folder's path is its identity.
            boolean location = key.equals(DatasetSettings.DIR.path()) && !located;
            if (SettingsCatalog.find(key).map(Setting::hashed).orElse(false) && !location) {
                science.put(key, value);
            }
        });
        return Sha256.hex(new Gson().toJson(science)).substring(0, 12);
    }
}
