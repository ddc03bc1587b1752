package dev.shortrun.cli;

import dev.shortrun.config.RunTable;
import dev.shortrun.config.SpecLoader;
import dev.shortrun.config.Sweep;
import dev.shortrun.steps.RunSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code shortrun validate SPEC.yaml}: parse and resolve a pipeline or sweep, print the runs, run nothing. */
@Command(name = "validate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Check a pipeline or sweep spec and print the fully resolved runs (with their hashes); runs "
                + "nothing. Errors name the file, line, key and what is allowed.")
final class ValidateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SPEC.yaml", description = "A pipeline (pipelines/*.yaml) or sweep "
            + "(sweeps/*.yaml; recognised by its top-level 'base' key).")
    Path spec;

    @Mixin
    SpecOptions options;

    @Option(names = {"-v", "--verbose"}, description = "Also print every resolved setting of every run, and its "
            + "directory.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        SpecLoader loader = new SpecLoader();
        List<RunSpec> runs;
        if (isSweep(spec)) {
            Sweep sweep = loader.loadSweep(spec, options.overrides());
            System.out.printf("sweep %s: %d point(s), max_concurrency %d, base %s%n", sweep.name(),
                    sweep.points().size(), sweep.maxConcurrency(), sweep.baseFiles().size() == 1
                            ? sweep.baseFiles().get(0) : sweep.baseFiles());
            runs = sweep.points();
        } else {
            runs = loader.loadPipeline(spec, options.overrides());
            System.out.printf("pipeline %s: %d run(s)%n", runs.get(0).pipeline(), runs.size());
        }
        System.out.print(RunTable.render(runs));
        if (verbose) {
            runs.forEach(run -> System.out.print(System.lineSeparator() + RunTable.describe(run)));
        }
        return 0;
    }

    static boolean isSweep(Path file) throws java.io.IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("spec not found: " + file);
        }
        return Files.readAllLines(file).stream().anyMatch(line -> line.startsWith("base:"));
    }
}
