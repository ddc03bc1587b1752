package dev.shortrun.pipeline;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.run.RunDirectory;
import dev.shortrun.steps.CodeVersion;
import dev.shortrun.steps.Objective;
import dev.shortrun.steps.RunOrigin;
import dev.shortrun.steps.RunSpec;
import dev.shortrun.steps.StepResult;
import dev.shortrun.steps.record.Lineage;
import dev.shortrun.steps.tracking.RunHandle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sweep's parent run as its summary. At the start: its description (the sweep's, its base pipelines, axes and
 * fixed settings, objective), who started it from which file with which code, and as params the axes (each swept
 * key with its values), every setting the sweep fixes, the base pipelines and the objective. At the end: the
 * objective of each point as the metric {@value #OBJECTIVE} (step = the point's number) and of the best point as
 * {@value #BEST_OBJECTIVE}, the tags {@value #BEST_RUN} and {@value #BEST_RUN_ID} naming the best child, the
 * description again with every point (linked to its run) and the summary table as an MLflow table artifact
 * ({@code <sweep>.json}, which the UI renders).
 */
public final class SweepSummary {
    public static final String OBJECTIVE = "objective";
    public static final String BEST_OBJECTIVE = "best_objective";
    public static final String BEST_RUN = "best_run";
    public static final String BEST_RUN_ID = "best_run_id";
    /** MLflow's tag listing a run's artifacts of special kinds, such as tables its UI renders. */
    static final String LOGGED_ARTIFACTS = "mlflow.loggedArtifacts";
    private static final Pattern RUN_URL = Pattern.compile(".*/#/experiments/[^/]+/runs/([0-9a-f]+)\\s*");

    private SweepSummary() {
    }

    /** The parent's description, lineage and params, before the points run. */
    public static void start(RunHandle parent, List<RunSpec> points) {
        RunOrigin first = points.get(0).origin();
        Lineage.of(first.launch(), first.sweep() == null ? null : first.sweep().file(), CodeVersion.current())
                .forEach(parent::setTag);
        parent.setTag(Lineage.NOTE, description(points, null));
        parent.logParams(params(points));
    }

    /** The objective of each point and of the best, the best child, the full description and the table. */
    public static void finish(RunHandle parent, List<RunSpec> points, Summary summary, Path resultsPrefix,
                              Path csvTable) throws IOException {
        List<Point> rows = points(points, summary, Summary.readResults(resultsPrefix));
        Point best = null;
        for (Point p : rows) {
            if (!Double.isNaN(p.objective())) {
                parent.logMetrics(p.index(), Map.of(OBJECTIVE, p.objective()));
                if (best == null || objective(points).better(p.objective(), best.objective())) {
                    best = p;
                }
            }
        }
        if (best != null) {
            parent.logMetrics(0, Map.of(BEST_OBJECTIVE, best.objective()));
            parent.setTag(BEST_RUN, best.run().origin().label());
            if (best.mlflowRunId() != null) {
                parent.setTag(BEST_RUN_ID, best.mlflowRunId());
            }
        }
        parent.setTag(Lineage.NOTE, description(points, new Results(rows, best)));
        Path json = csvTable.resolveSibling(csvTable.getFileName().toString().replaceFirst("\\.csv$", "") + ".json");
        AtomicFiles.writeString(json, table(rows, summary));
        parent.logArtifact(json, "");
        JsonArray logged = new JsonArray();
        JsonObject entry = new JsonObject();
        entry.addProperty("path", json.getFileName().toString());
        entry.addProperty("type", "table");
        logged.add(entry);
        parent.setTag(LOGGED_ARTIFACTS, logged.toString());
    }

    /**
     * One point's line.
     *
     * @param objective   its objective value, NaN when the sweep names none or the run did not report it
     * @param mlflowRunId its MLflow run, or null when it was not created there
     * @param url         where its record is (MLflow page or local folder), or null
     */
    record Point(int index, RunSpec run, Summary.Row row, double objective, String mlflowRunId, String url) {
    }

    private record Results(List<Point> points, Point best) {
    }

    private static Objective objective(List<RunSpec> points) {
        RunOrigin.Sweep sweep = points.get(0).origin().sweep();
        return sweep == null ? null : sweep.objective();
    }

    private static List<Point> points(List<RunSpec> points, Summary summary, List<StepResult> results) {
        Objective objective = objective(points);
        List<Point> out = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            RunSpec run = points.get(i);
            Summary.Row row = summary.rows().get(i);
            double value = objective == null ? Double.NaN : value(objective, row, results.stream()
                    .filter(r -> r.runName().equals(run.runName())).toList());
            String url = trackingUrl(run);
            Matcher m = url == null ? null : RUN_URL.matcher(url);
            out.add(new Point(i + 1, run, row, value, m != null && m.matches() ? m.group(1) : null, url));
        }
        return out;
    }

    /**
     * A run's objective: a step metric at its last checkpoint (the highest iteration its steps reported) or the best
     * over its checkpoints; a training metric at its last iteration. NaN when the run did not report it.
     */
    static double value(Objective objective, Summary.Row row, List<StepResult> runResults) {
        switch (objective.metric()) {
            case "f_diff":
                return row.fDiff();
            case "grad_norm":
                return row.gradNorm();
            case "seconds_per_iteration":
                return row.secondsPerIteration();
            default:
                break;
        }
        long last = runResults.stream().mapToLong(StepResult::iteration).max().orElse(-1);
        double value = Double.NaN;
        for (StepResult r : runResults) {
            Double v = r.metrics().get(objective.metric());
            if (v == null || (objective.checkpoint().equals("last") && r.iteration() != last)) {
                continue;
            }
            if (objective.better(v, value)) {
                value = v;
            }
        }
        return value;
    }

    /** Where TrainStep noted the run's record, or null. */
    private static String trackingUrl(RunSpec run) {
        return new RunDirectory(Path.of(run.outputDir())).trackingUrl().orElse(null);
    }


    /** The axes (each swept key with its values, in order) and the settings every point shares. */
    static Map<String, String> params(List<RunSpec> points) {
        Map<String, String> params = new LinkedHashMap<>();
        Set<String> bases = new LinkedHashSet<>();
        points.forEach(p -> bases.add(p.origin().basePipeline()));
        params.put("sweep.base", String.join(", ", bases));
        params.put("sweep.points", Integer.toString(points.size()));
        params.put("sweep.axes", String.join(", ", points.get(0).sweepPoint().keySet()));
        for (String key : points.get(0).sweepPoint().keySet()) {
            Set<String> values = new LinkedHashSet<>();
            points.forEach(p -> values.add(p.sweepPoint().get(key)));
            params.put(key, String.join(", ", values));
        }
        fixed(points).forEach(params::put);
        Objective objective = objective(points);
        params.put("sweep.objective", objective == null ? "none" : objective.describe());
        return params;
    }

    /** The settings the sweep (or the command line) changed alike in every point: its {@code set}. */
    private static Map<String, String> fixed(List<RunSpec> points) {
        Map<String, String> fixed = new LinkedHashMap<>();
        for (RunOrigin.Change c : points.get(0).origin().changes()) {
            if (!points.get(0).sweepPoint().containsKey(c.key()) && points.stream().allMatch(p -> p.origin()
                    .changes().stream().anyMatch(o -> o.key().equals(c.key()) && o.value().equals(c.value())))) {
                fixed.put(c.key(), c.value());
            }
        }
        return fixed;
    }

    /** Markdown: what the sweep is, and once it ran, every point with its objective (the best in bold). */
    private static String description(List<RunSpec> points, Results results) {
        RunSpec first = points.get(0);
        RunOrigin.Sweep sweep = first.origin().sweep();
        StringBuilder b = new StringBuilder("**Sweep ").append(first.pipeline()).append("**");
        b.append(sweep == null || sweep.description().isBlank() ? "" : ": " + sweep.description()).append("\n\n");
        Map<String, String> params = params(points);
        b.append(points.size()).append(" points over ").append(params.get("sweep.axes")).append(", on ")
                .append(params.get("sweep.base")).append(".");
        Map<String, String> fixed = fixed(points);
        if (!fixed.isEmpty()) {
            b.append(" Every point sets ");
            List<String> sets = new ArrayList<>();
            fixed.forEach((k, v) -> sets.add("`" + k + "` = " + v));
            b.append(String.join(", ", sets)).append('.');
        }
        Objective objective = objective(points);
        b.append("\n\nObjective: ").append(objective == null ? "none (add `objective: {metric: ..., direction: "
                + "min}` to the sweep spec to rank its points)" : objective.describe()).append(".\n");
        if (results == null) {
            return b.append("\nRunning.\n").toString();
        }
        if (results.best() != null) {
            b.append("\nBest point: **").append(link(results.best())).append("**, ").append(objective.metric())
                    .append(" = ").append(format(results.best().objective())).append(".\n");
        }
        b.append("\n| # | run | ").append(String.join(" | ", first.sweepPoint().keySet())).append(" | iterations")
                .append(objective == null ? "" : " | " + objective.metric()).append(" |\n|---|---|");
        first.sweepPoint().keySet().forEach(k -> b.append("---|"));
        b.append("---|").append(objective == null ? "" : "---|").append('\n');
        for (Point p : results.points()) {
            boolean isBest = p == results.best();
            b.append("| ").append(p.index()).append(" | ").append(isBest ? "**" + link(p) + "**" : link(p));
            p.run().sweepPoint().values().forEach(v -> b.append(" | ").append(v));
            b.append(" | ").append(p.row().iterations());
            if (objective != null) {
                b.append(" | ").append(Double.isNaN(p.objective()) ? "-" : format(p.objective()));
            }
            b.append(" |\n");
        }
        return b.toString();
    }

    private static String link(Point p) {
        String label = p.run().origin().label();
        return p.url() != null && p.url().startsWith("http") ? "[" + label + "](" + p.url() + ")" : label;
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    /** The summary table in MLflow's table format: {"columns": [...], "data": [[...], ...]}. */
    private static String table(List<Point> points, Summary summary) {
        RunSpec first = points.get(0).run();
        SortedSet<String> metrics = new TreeSet<>();
        summary.rows().forEach(r -> metrics.addAll(r.stepMetrics().keySet()));
        JsonArray columns = new JsonArray();
        List.of("point", "run", "folder").forEach(columns::add);
        // the UI's table reads a dot in a column name as a path into the row: learner.lr -> learner_lr
        first.sweepPoint().keySet().forEach(k -> columns.add(k.replace('.', '_')));
        List.of("iterations", "f_diff", "grad_norm", "seconds_per_iteration").forEach(columns::add);
        metrics.forEach(columns::add);
        columns.add(OBJECTIVE);
        columns.add("mlflow_run_id");
        JsonArray data = new JsonArray();
        for (Point p : points) {
            JsonArray row = new JsonArray();
            row.add(p.index());
            row.add(p.run().origin().label());
            row.add(p.run().runName());
            p.run().sweepPoint().values().forEach(row::add);
            row.add(p.row().iterations());
            List.of(p.row().fDiff(), p.row().gradNorm(), p.row().secondsPerIteration())
                    .forEach(v -> row.add(number(v)));
            metrics.forEach(m -> row.add(number(p.row().stepMetrics().getOrDefault(m, Double.NaN))));
            row.add(number(p.objective()));
            row.add(p.mlflowRunId());
            data.add(row);
        }
        JsonObject table = new JsonObject();
        table.add("columns", columns);
        table.add("data", data);
        return new GsonBuilder().serializeNulls().create().toJson(table) + "\n";
    }

    /** JSON has no NaN: a missing number is null. */
    private static Double number(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
