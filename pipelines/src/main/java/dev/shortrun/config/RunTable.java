package dev.shortrun.config;

import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.sampling.LangevinConfig;
import dev.shortrun.steps.RunSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Text views of resolved runs for {@code shortrun validate}: a one-line-per-run table and a full description. */
public final class RunTable {
    private static final List<String> HEADER = List.of("RUN", "HASH", "SWEPT", "ITERATIONS", "K", "SIGMA", "N_F",
            "LR", "RUNNER");

    private RunTable() {
    }

    /** One row per run under a header, columns padded to line up. */
    public static String render(List<RunSpec> runs) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (RunSpec run : runs) {
            rows.add(row(run));
        }
        int[] widths = new int[HEADER.size()];
        for (List<String> row : rows) {
            for (int c = 0; c < row.size(); c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.size(); c++) {
                line.append(c == row.size() - 1 ? row.get(c) : String.format("%-" + widths[c] + "s  ", row.get(c)));
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }

    private static List<String> row(RunSpec run) {
        TrainConfig train = run.train();
        String swept = run.sweepPoint().isEmpty() ? "-" : run.sweepPoint().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        return List.of(run.runName(), run.specHash(), swept, Long.toString(train.iterations()),
                steps(train.langevin()), run.params().get("learner.sigma"), Integer.toString(train.net().nf()),
                ValueReader.format(train.learner().lr().initial()), runner(run)); // the lr also when set as gamma0
    }

    private static String steps(LangevinConfig langevin) {
        return langevin.fixedK() ? Integer.toString(langevin.kMin()) : langevin.kMin() + "-" + langevin.kMax();
    }

    private static String runner(RunSpec run) {
        return run.runner().flinkMaster() == null ? run.runner().kind()
                : run.runner().kind() + "@" + run.runner().flinkMaster();
    }

    /** The run's name, hash, directory and every resolved setting, one per line. */
    public static String describe(RunSpec run) {
        StringBuilder text = new StringBuilder();
        text.append("run ").append(run.runName()).append(" (pipeline ").append(run.pipeline()).append(", hash ")
                .append(run.specHash()).append(")\n");
        text.append("  output: ").append(run.outputDir()).append('\n');
        if (!run.sweepPoint().isEmpty()) {
            text.append("  swept:  ").append(run.sweepPoint()).append('\n');
        }
        for (Map.Entry<String, String> param : run.params().entrySet()) {
            text.append("  ").append(param.getKey()).append(" = ").append(param.getValue()).append('\n');
        }
        return text.toString();
    }
}
