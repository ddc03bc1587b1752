package dev.shortrun.model.run;

import dev.shortrun.model.data.DataConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class DataConfigCacheTest {
    @Test
    void checkpointJsonWithoutCacheDirStillLoads() {
        String old = "{\"dataset\": \"mnist\", \"dir\": \"/data/mnist\", \"split\": \"train\", \"imageSize\": 32,"
                + " \"cap\": 40000}";
        DataConfig d = Checkpoint.GSON.fromJson(old, DataConfig.class);
        assertEquals(new DataConfig("mnist", "/data/mnist", "train", 32, 40000), d);
        assertNull(d.cacheDir());
        DataConfig cached = d.withCacheDir("/out/cache");
        assertEquals(cached, Checkpoint.GSON.fromJson(Checkpoint.GSON.toJson(cached), DataConfig.class));
    }
}
