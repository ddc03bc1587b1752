package dev.shortrun.steps.record;

import dev.shortrun.steps.RunOrigin;
import dev.shortrun.steps.RunSpec;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * A training run's description for people (MLflow's {@code mlflow.note.content}, Markdown, shown on the run's page):
 * what the run is (a sweep's point and its swept values, or a pipeline), which pipeline spec it follows and what
 * that spec says of itself (the paper config), and every setting the sweep or the command line changed from it.
 */
public final class RunDescription {
    private RunDescription() {
    }

    public static String of(RunSpec spec) {
        RunOrigin origin = spec.origin();
        StringBuilder b = new StringBuilder();
        RunOrigin.Sweep sweep = origin.sweep();
        if (sweep != null) {
            b.append("**").append(spec.pipeline()).append("**, point ").append(sweep.index()).append(" of ")
                    .append(sweep.count()).append(": ").append(swept(spec.sweepPoint())).append("\n\n");
            if (!sweep.description().isBlank()) {
                b.append(sweep.description()).append("\n\n");
            }
        }
        String baseDescription = origin.changes().stream().filter(c -> c.key().equals("description")).findFirst()
                .map(RunOrigin.Change::base).orElse(spec.params().getOrDefault("description", ""));
        b.append(sweep != null ? "Follows the pipeline **" : "The pipeline **").append(origin.basePipeline())
                .append("**").append(origin.baseFile() == null ? "" : " (`" + origin.baseFile() + "`)")
                .append(baseDescription == null || baseDescription.isBlank() ? "." : ": " + baseDescription)
                .append("\n\n");
        if (!origin.changes().isEmpty()) {
            b.append("| changed from ").append(origin.basePipeline()).append(" | ").append(origin.basePipeline())
                    .append(" | this run |\n|---|---|---|\n");
            for (RunOrigin.Change c : origin.changes()) {
                b.append("| `").append(c.key()).append("` | ").append(cell(c.base())).append(" | ")
                        .append(cell(c.value())).append(" |\n");
            }
            b.append('\n');
        }
        b.append("Run folder `").append(spec.outputDir()).append("`, spec hash `").append(spec.specHash())
                .append("`");
        if (origin.launch() != null) {
            b.append("; started by `").append(origin.launch().commandLine()).append("`");
        }
        return b.append(".\n").toString();
    }

    /** {@code `learner.lr` = 3.0E-4, `sampler.K` = 20}. */
    static String swept(Map<String, String> point) {
        return point.entrySet().stream().map(e -> "`" + e.getKey() + "` = " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static String cell(String value) {
        return value == null ? "?" : value.isEmpty() ? "\"\"" : value.replace("|", "\\|");
    }
}
