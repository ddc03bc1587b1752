package dev.shortrun.pipeline;

import dev.shortrun.model.io.AtomicFiles;
import dev.shortrun.model.io.BarChart;
import dev.shortrun.model.io.LinePlot;
import dev.shortrun.model.io.PanelGrid;
import dev.shortrun.model.io.Png;
import dev.shortrun.pipeline.PaperNumbers.Quantity;
import dev.shortrun.pipeline.ReportTable.Column;
import dev.shortrun.pipeline.ReportTable.Point;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * A finished sweep's results as a table and a plot, with the paper's numbers beside ours for the sweeps that
 * reproduce a paper ({@link PaperNumbers}): {@code <output>/<name>/report/<name>-report.md} and {@code -report.png}.
 * Ours come from CPU-sized runs, so the report says plainly that only trends compare, not values.
 */
public final class SweepReport {
    /** The folder of the report under the sweep's folder. */
    public static final String DIR = "report";
    /** One panel of the plot (a numeric paper table has two per quantity: the paper's and ours). */
    public static final int PANEL_WIDTH = 560, PANEL_HEIGHT = 340;
    /** The toys' bar chart. */
    public static final int BARS_WIDTH = 960, BARS_HEIGHT = 500;

    private final String name;
    private final String description;
    private final SweepRuns results;
    private final Optional<PaperNumbers.Table> paper;
    private final List<Point> points;
    private final boolean seeds;

    /**
     * @param name        the sweep's name (it picks the paper's table)
     * @param description the sweep's description, may be blank
     */
    public SweepReport(String name, String description, SweepRuns results) {
        this.name = name;
        this.description = description == null ? "" : description;
        this.results = results;
        this.paper = PaperNumbers.forSweep(name);
        List<SweepRuns.Run> finished = results.finished();
        if (finished.isEmpty()) {
            throw new IllegalStateException(name + " has no finished runs yet under " + results.root() + " ("
                    + counts() + "); run the sweep to its end first");
        }
        this.points = ReportTable.points(finished);
        this.seeds = finished.stream().anyMatch(r -> r.spec().sweepPoint().containsKey(ReportTable.SEED_KEY));
    }

    public List<Point> points() {
        return points;
    }

    /** The metric of ours that measures a paper's quantity: the first of its names any run has (else the first). */
    private String ours(Quantity q) {
        return q.ours().stream().filter(this::anyHas).findFirst().orElse(q.ours().get(0));
    }

    private boolean anyHas(String metric) {
        return points.stream().anyMatch(p -> p.stat(metric).n() > 0);
    }

    /** Our metrics when no paper is beside them: the objective's, every step metric, the gradient norm. */
    private List<String> metrics() {
        if (paper.isPresent()) {
            return paper.get().quantities().stream().map(this::ours).toList();
        }
        Set<String> names = new LinkedHashSet<>();
        results.finished().stream().map(r -> r.spec().origin().sweep()).filter(s -> s != null && s.objective() != null)
                .findFirst().ifPresent(s -> names.add(s.objective().metric()));
        SortedSet<String> steps = new TreeSet<>();
        results.finished().forEach(r -> steps.addAll(r.stepMetrics().keySet()));
        names.addAll(steps);
        names.add("grad_norm");
        return List.copyOf(names);
    }

    /** The paper's value of quantity {@code i} at a point, "-" when the paper has no row there. */
    private String paperValue(Point p, int i) {
        PaperNumbers.Table t = paper.orElseThrow();
        return t.rowAt(t.keys().stream().map(p::value).toList()).map(r -> r.values().get(i)).orElse("-");
    }

    public List<Column> columns() {
        List<Column> columns = new ArrayList<>();
        points.get(0).at().keySet().forEach(k -> columns.add(new Column(k, false, p -> p.at().get(k))));
        if (seeds) {
            columns.add(new Column("seeds", true, p -> Integer.toString(p.runs().size())));
        }
        columns.add(new Column(SweepRuns.ITERATIONS, true, p -> p.stat(SweepRuns.ITERATIONS).format()));
        if (paper.isPresent()) {
            List<Quantity> quantities = paper.get().quantities();
            for (int i = 0; i < quantities.size(); i++) {
                String metric = ours(quantities.get(i));
                int q = i;
                columns.add(new Column("ours: " + metric, true, p -> p.stat(metric).format()));
                columns.add(new Column("paper: " + quantities.get(i).label(), true, p -> paperValue(p, q)));
            }
        } else {
            metrics().forEach(m -> columns.add(new Column(m, true, p -> p.stat(m).format())));
        }
        return columns;
    }

    private String counts() {
        long finished = results.runs().stream().filter(SweepRuns.Run::finished).count();
        return finished + " of " + results.runs().size() + " runs finished, last " + results.invocation().kind()
                + " " + results.invocation().status();
    }

    /** What may be compared, and what ours lacks. */
    private List<String> notes() {
        List<String> notes = new ArrayList<>();
        String iterations = ReportTable.Stat.of(results.finished().stream().mapToDouble(r -> r.iterations())
                .toArray()).format();
        if (paper.isEmpty()) {
            notes.add("No paper table for the sweep " + name + " (the papers' are table2, table3a, table3b, "
                    + "toy-anatomy): ours only.");
        } else if (paper.get().numeric()) {
            notes.add("Compare trends, not values: the paper trained for 100k+ iterations on GPUs and scored with "
                    + "the FID Inception; these runs are CPU-sized (" + iterations + " iterations) and a column "
                    + "named fid_lenet or is_lenet is scored with the offline LeNet, on another scale. Only the "
                    + "direction along the swept axis can agree.");
        } else {
            notes.add("Compare directions, not values: the paper gives no KL numbers, only which way each comes "
                    + "out (small = close to the true density; large = far from it, the learned density too "
                    + "sharp). The paper trained 100k-200k iterations; these runs ran " + iterations + ".");
        }
        paper.ifPresent(t -> t.quantities().stream().filter(q -> !anyHas(ours(q))).forEach(q -> notes.add(
                "No run has " + String.join(" or ", q.ours()) + " (the paper's " + q.label() + ")"
                        + (q.ours().get(0).startsWith("fid") || q.ours().get(0).startsWith("is")
                        ? ": add the score step to the sweep's steps to compute it." : "."))));
        List<String> unfinished = results.runs().stream().filter(r -> !r.finished())
                .map(r -> r.name() + " (" + r.status() + ")").toList();
        if (!unfinished.isEmpty()) {
            notes.add("Not in the table (not finished): " + String.join(", ", unfinished) + ".");
        }
        return notes;
    }

    /** The table and notes for the terminal. */
    public String text() {
        StringBuilder b = new StringBuilder("report " + name + ": " + counts() + System.lineSeparator());
        b.append(ReportTable.text(columns(), points));
        paper.ifPresent(t -> b.append("paper: ").append(t.source()).append(System.lineSeparator()));
        notes().forEach(n -> b.append("note:  ").append(n).append(System.lineSeparator()));
        return b.toString();
    }

    public String markdown(String pngName) {
        StringBuilder b = new StringBuilder("# " + name + ": ours" + (paper.isPresent() ? " beside the paper" : "")
                + "\n\n");
        if (!description.isBlank()) {
            b.append(description).append(". ");
        }
        b.append(counts()).append(" (code ").append(results.invocation().code()).append(").\n\n");
        List<String> notes = notes();
        b.append("**").append(notes.get(0)).append("**\n\n");
        b.append(ReportTable.markdown(columns(), points)).append('\n');
        if (seeds) {
            b.append("Seeds (").append(ReportTable.SEED_KEY).append(") pooled: mean ± sample sd over the seeds.\n\n");
        }
        paper.ifPresent(t -> b.append("Paper: ").append(t.source()).append("\n\n"));
        notes.subList(1, notes.size()).forEach(n -> b.append(n).append("\n\n"));
        b.append("Runs (under ").append(results.root()).append("):\n\n");
        results.finished().forEach(r -> b.append("- `").append(r.name()).append("`\n"));
        b.append("\n![ours").append(paper.isPresent() ? " and the paper's" : "").append("](").append(pngName)
                .append(")\n");
        return b.toString();
    }

    /** The plot: ours and the paper's along the swept axis, or bars per point with the paper's expectation. */
    public BufferedImage figure() {
        String caption = name + (description.isBlank() ? "" : ": " + description) + "\n"
                + (paper.isEmpty() ? "ours only (no paper table for this sweep)"
                : paper.get().numeric() ? "left: the paper's numbers; right: ours (CPU-sized): compare the trends, "
                + "not the values" : "ours (CPU-sized) with the direction the paper expects under each config");
        if (paper.isPresent() && paper.get().numeric()) {
            return PanelGrid.compose(caption, 2, lines(paper.get()));
        }
        if (paper.isPresent()) {
            return PanelGrid.compose(caption, 1, List.of(expectationBars(paper.get())));
        }
        List<BufferedImage> panels = new ArrayList<>();
        for (String metric : metrics()) {
            panels.add(bars(List.of(metric), metric).size(PANEL_WIDTH, PANEL_HEIGHT).render());
        }
        return PanelGrid.compose(caption, 2, panels);
    }

    /** For each quantity, the paper's values and ours along the table's first key. */
    private List<BufferedImage> lines(PaperNumbers.Table t) {
        String key = t.keys().get(0);
        String axis = key + (t.keys().size() > 1 ? " (paired with " + String.join(", ",
                t.keys().subList(1, t.keys().size())) + ")" : "");
        List<BufferedImage> panels = new ArrayList<>();
        for (int i = 0; i < t.quantities().size(); i++) {
            Quantity q = t.quantities().get(i);
            int at = i;
            double[] px = t.rows().stream().mapToDouble(r -> Double.parseDouble(r.at().get(0))).toArray();
            double[] py = t.rows().stream().mapToDouble(r -> Double.parseDouble(r.values().get(at))).toArray();
            String metric = ours(q);
            double[] ox = points.stream().mapToDouble(p -> parse(p.value(key))).toArray();
            double[] oy = points.stream().mapToDouble(p -> p.stat(metric).mean()).toArray();
            panels.add(new LinePlot().title("paper: " + q.label()).xLabel(axis).yLabel(q.label())
                    .add("paper", px, py).size(PANEL_WIDTH, PANEL_HEIGHT).render());
            LinePlot ours = new LinePlot().title("ours: " + metric + (anyHas(metric) ? "" : " (not computed)"))
                    .xLabel(axis).yLabel(metric).size(PANEL_WIDTH, PANEL_HEIGHT);
            panels.add((anyHas(metric) ? ours.add("ours (mean over seeds)", ox, oy) : ours).render());
        }
        return panels;
    }

    private static double parse(String value) {
        return PaperNumbers.isNumber(value) ? Double.parseDouble(value) : Double.NaN;
    }

    /** Ours as grouped bars per point (sd over seeds as error bars), the paper's expected direction below each. */
    private BufferedImage expectationBars(PaperNumbers.Table t) {
        List<String> metrics = t.quantities().stream().map(this::ours).toList();
        BarChart chart = bars(metrics, String.join(" and ", metrics) + " at the last checkpoint")
                .yLabel("KL divergence (nats)").size(BARS_WIDTH, BARS_HEIGHT);
        for (int c = 0; c < points.size(); c++) {
            StringBuilder note = new StringBuilder("paper expects:");
            for (int i = 0; i < t.quantities().size(); i++) {
                note.append('\n').append(t.quantities().get(i).label()).append(' ').append(paperValue(points.get(c), i));
            }
            chart.note(c, note.toString());
        }
        return chart.render();
    }

    private BarChart bars(List<String> metrics, String title) {
        BarChart chart = new BarChart(points.stream().map(Point::label).toList()).title(title);
        for (String metric : metrics) {
            chart.add("ours: " + metric + (seeds ? " (mean ± sd over seeds)" : ""), points.stream().mapToDouble(p -> p.stat(metric).mean()).toArray(),
                    points.stream().mapToDouble(p -> p.stat(metric).sd()).toArray());
        }
        return chart;
    }

    /** Writes {@code <root>/report/<name>-report.md} and {@code .png}; returns their paths (markdown first). */
    public List<Path> write() throws IOException {
        Path dir = results.root().resolve(DIR);
        Path png = dir.resolve(name + "-report.png");
        Path md = dir.resolve(name + "-report.md");
        Png.write(png, figure());
        AtomicFiles.writeString(md, markdown(png.getFileName().toString()));
        return List.of(md, png);
    }
}
