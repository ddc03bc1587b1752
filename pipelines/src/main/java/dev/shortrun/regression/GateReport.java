package dev.shortrun.regression;

import dev.shortrun.config.Regression;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** A gate's result as the terminal table and as markdown (the same rows, for the MLflow parent run and CI logs). */
public final class GateReport {
    private GateReport() {
    }

    /** The gate's picture (PNG): each seed of the baseline beside the candidate's, per configuration and check. */
    public static void writePlot(java.nio.file.Path png, RegressionGate.Result result) throws java.io.IOException {
        GatePlot.write(png, result);
    }

    /** "REGRESSION: 2 of 8 checks" / "PASS: 8 checks (7 pass, 1 better)". */
    public static String verdictLine(RegressionGate.Result result) {
        long failing = result.rows().stream().filter(r -> r.verdict().fails()).count();
        List<String> parts = new ArrayList<>();
        for (RegressionGate.Verdict v : RegressionGate.Verdict.values()) {
            long n = result.count(v);
            if (n > 0) {
                parts.add(n + " " + v.shown());
            }
        }
        return (failing > 0 ? "REGRESSION: " + failing + " of " + result.rows().size() + " checks"
                : "PASS: " + result.rows().size() + " checks") + " (" + String.join(", ", parts) + ")";
    }

    /** What was compared with what, and how. */
    static List<String> header(RegressionGate.Result result) {
        Regression regression = result.regression();
        List<String> lines = new ArrayList<>();
        lines.add("candidate: " + describe(result.candidate()));
        lines.add("baseline:  " + describe(result.baseline()));
        lines.add("checks:    " + regression.checks().stream().map(c -> c.metric() + " (" + (c.direction()
                .equals("min") ? "lower" : "higher") + " is better, tolerance " + c.tolerance() + ", seeds "
                + c.seeds() + ")").collect(Collectors.joining("; ")));
        long meanTests = Math.round(regression.alpha() / result.alphaPerTest());
        if (regression.checks().stream().anyMatch(c -> c.seeds().equals("mean"))) {
            lines.add(String.format(Locale.ROOT, "test:      one-sided Welch t-test per mean check: a regression when "
                    + "the candidate is worse by more than the tolerance at level %.3g (alpha %.3g over %d tests, "
                    + "Bonferroni)", result.alphaPerTest(), regression.alpha(), meanTests));
        }
        return lines;
    }

    private static String describe(SweepResults r) {
        return r.sweep() + ", code " + r.code() + ", " + r.runs().size() + " runs, from " + r.source()
                + (r.recordedAt() == null ? "" : " (read " + r.recordedAt() + ")");
    }

    /** The fixed-width table for the terminal. */
    public static String text(RegressionGate.Result result) {
        StringBuilder b = new StringBuilder();
        header(result).forEach(l -> b.append(l).append('\n'));
        int configWidth = Math.max(24, result.rows().stream().mapToInt(r -> r.config().length()).max().orElse(0));
        int metricWidth = Math.max(14, result.rows().stream().mapToInt(r -> r.check().metric().length()).max()
                .orElse(0));
        String format = "%-" + configWidth + "s  %-" + metricWidth + "s  %-24s  %-24s  %-11s  %-10s  %s%n";
        b.append(String.format(Locale.ROOT, format, "config", "metric", "baseline", "candidate", "delta", "verdict",
                "p / note"));
        for (RegressionGate.Row r : result.rows()) {
            b.append(String.format(Locale.ROOT, format, r.config(), r.check().metric(), summary(r.baseline(), r),
                    summary(r.candidate(), r), signed(r.delta()), r.verdict().shown(), pAndNote(r)));
        }
        b.append(verdictLine(result)).append('\n');
        return b.toString();
    }

    /** The same as markdown. */
    public static String markdown(RegressionGate.Result result, String plotName) {
        StringBuilder b = new StringBuilder("# Regression gate: ").append(result.candidate().sweep()).append("\n\n**")
                .append(verdictLine(result)).append("**\n\n");
        header(result).forEach(l -> b.append("- ").append(l.replaceFirst(":\\s+", ": ")).append('\n'));
        b.append("\n| config | metric | baseline | candidate | delta | tolerance | verdict | p / note |\n")
                .append("|---|---|---|---|---|---|---|---|\n");
        for (RegressionGate.Row r : result.rows()) {
            String verdict = r.verdict().fails() ? "**" + r.verdict().shown() + "**" : r.verdict().shown();
            b.append("| ").append(String.join(" | ", r.config(), "`" + r.check().metric() + "`",
                    summary(r.baseline(), r), summary(r.candidate(), r), signed(r.delta()), number(r.tolerance()),
                    verdict, pAndNote(r).replace("|", "/"))).append(" |\n");
        }
        if (plotName != null) {
            b.append("\n![each seed, baseline and candidate](").append(plotName).append(")\n");
        }
        return b.toString();
    }

    /** "0.123 ± 0.010 (n=3)" for means; "median 0.12 (n=3)", "worst 0.15 (n=3)" otherwise. */
    static String summary(SeedValues v, RegressionGate.Row r) {
        if (v.n() == 0) {
            return "-";
        }
        String seeds = r.check().seeds();
        if (seeds.equals("mean")) {
            return v.n() == 1 ? number(v.mean()) + " (n=1)"
                    : number(v.mean()) + " ± " + number(v.sd()) + " (n=" + v.n() + ")";
        }
        double value = seeds.equals("median") ? v.median() : v.worst(r.check().worseSign());
        return seeds + " " + number(value) + " (n=" + v.n() + ")";
    }

    private static String pAndNote(RegressionGate.Row r) {
        String p = Double.isNaN(r.p()) ? "" : String.format(Locale.ROOT, "p=%.3g", r.p());
        return r.note().isEmpty() ? p : p.isEmpty() ? r.note() : p + "; " + r.note();
    }

    static String number(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4g", v);
    }

    private static String signed(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%+.3g", v);
    }
}
