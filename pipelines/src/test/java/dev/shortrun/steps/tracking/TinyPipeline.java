package dev.shortrun.steps.tracking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The smallest pipeline that trains and runs a checkpoint step: seconds of work, for the tracking tests. */
final class TinyPipeline {
    private TinyPipeline() {}

    /** {@code <dir>/<name>.yaml}: gmm, 6 iterations, checkpoints at 3 and 6, each sampled. */
    static Path write(Path dir, String name) throws IOException {
        return Files.writeString(dir.resolve(name + ".yaml"), String.join("\n", "name: " + name,
                "dataset: {name: gmm}", "model: {n_f: 8}", "sampler: {K: 5}", "learner: {iterations: 6, batch: 32}",
                "checkpoints: {every: 3, grid_every: 3}", "steps: [sample]", "sample: {n: 16, k_values: [0, 5]}",
                "resources: {threads_per_worker: 1}", ""));
    }
}
