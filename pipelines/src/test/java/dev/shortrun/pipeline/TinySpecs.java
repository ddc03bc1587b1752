package dev.shortrun.pipeline;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small pipeline specs the pipeline tests write for themselves: seconds of work on the 2D toy. */
final class TinySpecs {
    private TinySpecs() {
    }

    /** A gmm pipeline: ToyNet n_f 8, K 5, 6 iterations, checkpoints every 3, then the sample step. */
    static Path toyPipeline(Path dir, String name) throws IOException {
        Path spec = dir.resolve(name + ".yaml");
        Files.writeString(spec, String.join("\n",
                "name: " + name,
                "dataset: {name: gmm}",
                "model: {n_f: 8}",
                "sampler: {K: 5}",
                "learner: {iterations: 6, batch: 32, lr: 1.0e-3}",
                "checkpoints: {every: 3, grid_every: 3}",
                "steps: [sample]",
                "sample: {n: 16, k_values: [0, 5, 10]}",
                "resources: {parallelism: 2, threads_per_worker: 1}",
                ""));
        return spec;
    }

    /** A 3-point sweep over the toy pipeline's learning rate. */
    static Path toySweep(Path dir, String name, Path base) throws IOException {
        Path spec = dir.resolve(name + ".yaml");
        Files.writeString(spec, String.join("\n",
                "base: " + base.getFileName(),
                "name: " + name,
                "max_concurrency: 2",
                "axes:",
                "  grid:",
                "    learner.lr: [1.0e-4, 3.0e-4, 1.0e-3]",
                ""));
        return spec;
    }
}
