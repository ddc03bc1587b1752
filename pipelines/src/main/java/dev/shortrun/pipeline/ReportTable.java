package dev.shortrun.pipeline;

import dev.shortrun.steps.settings.LearnerSettings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The finished runs of a sweep as table rows: one row per point, its seeds (the {@code learner.seed} axis) pooled into
 * a mean and sample standard deviation; then rendered as fixed-width text or markdown.
 */
public final class ReportTable {
    /** The key of the sweeps' {@code seeds} axis: its values are pooled, not rows of their own. */
    public static final String SEED_KEY = LearnerSettings.SEED.path();

    private ReportTable() {
    }

    /**
     * A metric over a point's seeds.
     *
     * @param sd the sample standard deviation (n - 1), NaN for a single value
     * @param n  how many runs had a value
     */
    public record Stat(double mean, double sd, int n) {
        public static Stat of(double[] values) {
            double sum = 0;
            int n = 0;
            for (double v : values) {
                if (Double.isFinite(v)) {
                    sum += v;
                    n++;
                }
            }
            if (n == 0) {
                return new Stat(Double.NaN, Double.NaN, 0);
            }
            double mean = sum / n, squares = 0;
            for (double v : values) {
                if (Double.isFinite(v)) {
                    squares += (v - mean) * (v - mean);
                }
            }
            return new Stat(mean, n > 1 ? Math.sqrt(squares / (n - 1)) : Double.NaN, n);
        }

        /** "0.1234", "0.1234 ± 0.0056" over several seeds, "-" when no run had it. */
        public String format() {
            if (n == 0) {
                return "-";
            }
            return n > 1 && sd > 0 ? number(mean, 4) + " ± " + number(sd, 2) : number(mean, 4);
        }
    }

    /** {@code digits} significant digits without trailing zeros (0.5, 15.63, 1.2e-05); whole numbers whole. */
    static String number(double v, int digits) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%." + digits + "g", v);
        return s.contains("e") ? s.replaceFirst("\\.?0+e", "e") : s.contains(".") ? s.replaceFirst("\\.?0+$", "") : s;
    }

    /**
     * A point of the sweep: its swept values but the seed, and its finished runs (one per seed).
     *
     * @param at the swept keys (without the seed) with their values, in axis order
     */
    public record Point(Map<String, String> at, List<SweepRuns.Run> runs) {
        public Stat stat(String metric) {
            return Stat.of(runs.stream().mapToDouble(r -> r.metric(metric)).toArray());
        }

        /** A key's value at this point: swept, or else as its first run resolved it; null when neither has it. */
        public String value(String key) {
            if (at.containsKey(key)) {
                return at.get(key);
            }
            SweepRuns.Run first = runs.get(0);
            return first.spec().sweepPoint().getOrDefault(key, first.spec().params().get(key));
        }

        /** "toy-gmm-convergent", "lr=0.001", "K=5 sigma=0.15": the point in a few characters. */
        public String label() {
            if (at.size() == 1) {
                String v = at.values().iterator().next();
                return at.containsKey("pipeline") ? v : leaf(at.keySet().iterator().next()) + "=" + v;
            }
            List<String> parts = new ArrayList<>();
            at.forEach((k, v) -> parts.add(leaf(k) + "=" + v));
            return parts.isEmpty() ? "all" : String.join(" ", parts);
        }
    }

    private static String leaf(String key) {
        return key.substring(key.lastIndexOf('.') + 1);
    }

    /** The runs grouped by their swept values without the seed, in the order the points first appear. */
    public static List<Point> points(List<SweepRuns.Run> runs) {
        Map<Map<String, String>, List<SweepRuns.Run>> groups = new LinkedHashMap<>();
        for (SweepRuns.Run run : runs) {
            Map<String, String> at = new LinkedHashMap<>(run.spec().sweepPoint());
            at.remove(SEED_KEY);
            groups.computeIfAbsent(at, k -> new ArrayList<>()).add(run);
        }
        List<Point> points = new ArrayList<>();
        groups.forEach((at, group) -> points.add(new Point(at, List.copyOf(group))));
        return points;
    }

    /** A column: its header, whether it holds numbers (right-aligned), and its cell for each point. */
    public record Column(String header, boolean numeric, Function<Point, String> cell) {
    }

    /** Fixed-width text: text columns left-aligned, numbers right-aligned. */
    public static String text(List<Column> columns, List<Point> points) {
        int[] widths = new int[columns.size()];
        List<List<String>> cells = cells(columns, points);
        for (int c = 0; c < columns.size(); c++) {
            widths[c] = columns.get(c).header().length();
            for (List<String> row : cells) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        StringBuilder b = new StringBuilder();
        List<String> headers = columns.stream().map(Column::header).toList();
        for (List<String> row : prepend(headers, cells)) {
            for (int c = 0; c < columns.size(); c++) {
                String format = "%" + (columns.get(c).numeric() ? "" : "-") + widths[c] + "s";
                b.append(c == 0 ? "" : "  ").append(String.format(Locale.ROOT, format, row.get(c)));
            }
            b.append(System.lineSeparator());
        }
        return b.toString().replaceAll(" +(\\R)", "$1");
    }

    /** A markdown table ('|' in a cell escaped). */
    public static String markdown(List<Column> columns, List<Point> points) {
        StringBuilder b = new StringBuilder("|");
        columns.forEach(c -> b.append(' ').append(escape(c.header())).append(" |"));
        b.append("\n|");
        columns.forEach(c -> b.append(c.numeric() ? "---:|" : "---|"));
        b.append('\n');
        for (List<String> row : cells(columns, points)) {
            b.append('|');
            row.forEach(cell -> b.append(' ').append(escape(cell)).append(" |"));
            b.append('\n');
        }
        return b.toString();
    }

    private static String escape(String cell) {
        return cell.replace("|", "\\|");
    }

    private static List<List<String>> cells(List<Column> columns, List<Point> points) {
        return points.stream().map(p -> columns.stream().map(c -> c.cell().apply(p)).toList()).toList();
    }

    private static List<List<String>> prepend(List<String> first, List<List<String>> rest) {
        List<List<String>> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
