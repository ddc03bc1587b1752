package dev.shortrun.model.data;

import dev.shortrun.model.TestSupport;

import java.nio.file.Path;

/** Real data from ../shared/data for the reader tests. */
final class SharedData {
    private SharedData() {}

    static Path dir(String sub) {
        return TestSupport.sharedData(sub);
    }
}
