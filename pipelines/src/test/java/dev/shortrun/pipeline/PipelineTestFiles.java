package dev.shortrun.pipeline;

import dev.shortrun.steps.StepResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What the pipeline tests share: the real MNIST beside the checkout, and the step results a pipeline wrote. */
final class PipelineTestFiles {
    private PipelineTestFiles() {
    }

    /** ../shared/data/mnist (surefire sets shortrun.shared), absolute, for specs written into temp dirs. */
    static Path mnistDir() {
        return Path.of(System.getProperty("shortrun.shared", "../../shared")).resolve("data/mnist")
                .toAbsolutePath().normalize();
    }

    /** Every StepResult line in the result files under {@code dir}. */
    static List<StepResult> results(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.flatMap(f -> {
                try {
                    return Files.readAllLines(f).stream();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).filter(l -> !l.isBlank()).map(StepResult::fromJson).toList();
        }
    }
}
