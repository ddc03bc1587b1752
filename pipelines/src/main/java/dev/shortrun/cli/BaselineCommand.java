package dev.shortrun.cli;

import dev.shortrun.config.SpecLoader;
import dev.shortrun.config.Sweep;
import dev.shortrun.regression.SweepFolder;
import dev.shortrun.regression.SweepResults;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code shortrun baseline SWEEP.yaml}: records a finished sweep's results as the baseline the gate compares with. */
@Command(name = "baseline", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Record the last results of a finished sweep (OUTPUT/NAME/) as a baseline file for `shortrun "
                + "compare`: each point's configuration, seed, status and its metrics at its last checkpoint, with "
                + "the code that computed them. Refuses a sweep whose runs did not all finish.")
final class BaselineCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SWEEP.yaml", description = "The sweep spec, with the same --set as the "
            + "sweep was run with.")
    Path spec;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write it (default: the sweep's "
            + "regression.baseline file, e.g. to commit a new baseline).")
    Path out;

    @Mixin
    SpecOptions options;

    @Override
    public Integer call() throws Exception {
        Sweep sweep = new SpecLoader().loadSweep(spec, options.overrides());
        Path file = out != null ? out : sweep.regression() == null ? null : sweep.regression().baseline();
        if (file == null) {
            throw new IllegalArgumentException(spec + " names no regression.baseline file; say where with --out FILE");
        }
        SweepResults results = SweepResults.read(SweepFolder.of(sweep).root());
        List<String> unfinished = results.runs().stream().filter(r -> !r.finished())
                .map(r -> r.run() + " " + r.status()).toList();
        if (!unfinished.isEmpty()) {
            throw new IllegalArgumentException("not recording a baseline: " + unfinished.size() + " run(s) of "
                    + sweep.name() + " did not finish (" + String.join(", ", unfinished) + "); run the sweep again");
        }
        results.write(file);
        System.out.printf("baseline: %s (%d runs of %s, %d configurations, code %s)%n", file.toAbsolutePath(),
                results.runs().size(), results.sweep(), results.configs().size(), results.code());
        return 0;
    }
}
