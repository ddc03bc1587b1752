package dev.shortrun.regression;

import dev.shortrun.config.Regression;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Compares a candidate sweep's results with a baseline's, configuration by configuration (points that differ only in
 * their seed), check by check. With {@code seeds: mean} a check is a one-sided Welch t-test of "the candidate is worse
 * than the baseline by more than the tolerance": a regression when the lower end of the one-sided confidence bound on
 * how much worse the candidate's mean is exceeds the tolerance. The family-wise false-alarm level {@code alpha} is
 * split evenly over these tests (Bonferroni), so an unchanged build alarms with probability at most alpha whatever the
 * number of configurations and checks. With {@code median} or {@code worst}, the seeds' median (worst value) of
 * both sides are compared against the tolerance alone. A candidate that lost a configuration or a value (a failed or
 * diverged run, a metric no longer reported) fails the gate as MISSING.
 */
public final class RegressionGate {
    public enum Verdict {
        /** Not worse by more than the tolerance (or not significantly so). */
        PASS,
        /** Better than the baseline by more than the tolerance (significantly, for means). */
        BETTER,
        REGRESSION,
        /** The candidate lacks values the baseline has. */
        MISSING,
        /** A configuration the baseline does not have: nothing to compare. */
        NEW;

        public boolean fails() {
            return this == REGRESSION || this == MISSING;
        }

        public String shown() {
            return this == REGRESSION || this == MISSING ? name() : name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One check of one configuration.
     *
     * @param delta     candidate minus baseline (of means, medians or worst seeds)
     * @param tolerance in the metric's units
     * @param low       the lower end of the one-sided bound on how much worse the candidate is (NaN without a test)
     * @param p         the test's p-value of "worse by more than the tolerance" (NaN without a test)
     * @param note      what the reader should know (seeds missing, a single seed, ...), or ""
     */
    public record Row(String config, Regression.Check check, SeedValues baseline, SeedValues candidate,
                      double delta, double tolerance, double low, double p, Verdict verdict, String note) {
    }

    /**
     * @param alphaPerTest the level of each mean test (alpha over the number of mean tests)
     */
    public record Result(Regression regression, SweepResults baseline, SweepResults candidate, List<Row> rows,
                         double alphaPerTest) {
        public boolean regressed() {
            return rows.stream().anyMatch(r -> r.verdict().fails());
        }

        public long count(Verdict verdict) {
            return rows.stream().filter(r -> r.verdict() == verdict).count();
        }
    }

    private RegressionGate() {
    }

    public static Result compare(Regression regression, SweepResults baseline, SweepResults candidate) {
        Set<String> configs = new LinkedHashSet<>(baseline.configs());
        configs.addAll(candidate.configs());
        long meanTests = configs.stream().filter(c -> baseline.configs().contains(c)).count()
                * regression.checks().stream().filter(c -> c.seeds().equals("mean")).count();
        double alphaPerTest = regression.alpha() / Math.max(1, meanTests);
        List<Row> rows = new ArrayList<>();
        for (String config : configs) {
            for (Regression.Check check : regression.checks()) {
                rows.add(row(config, check, baseline, candidate, alphaPerTest));
            }
        }
        return new Result(regression, baseline, candidate, rows, alphaPerTest);
    }

    private static Row row(String config, Regression.Check check, SweepResults baseline, SweepResults candidate,
                           double alpha) {
        List<SweepResults.RunResult> before = baseline.of(config);
        List<SweepResults.RunResult> after = candidate.of(config);
        List<String> notes = new ArrayList<>();
        SeedValues b = values(before, check.metric(), notes, "baseline");
        SeedValues c = values(after, check.metric(), notes, "candidate");
        if (before.isEmpty()) {
            return new Row(config, check, b, c, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Verdict.NEW,
                    "not in the baseline");
        }
        if (b.n() == 0) {
            notes.add("the baseline has no value of " + check.metric());
            return new Row(config, check, b, c, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Verdict.NEW,
                    String.join("; ", notes));
        }
        if (after.isEmpty()) {
            return new Row(config, check, b, c, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Verdict.MISSING,
                    "not in the candidate sweep");
        }
        double tolerance = check.tolerance().absolute(b.mean());
        if (c.n() < after.size()) {
            return new Row(config, check, b, c, c.n() == 0 ? Double.NaN : c.mean() - b.mean(), tolerance,
                    Double.NaN, Double.NaN, Verdict.MISSING, String.join("; ", notes));
        }
        int sign = check.worseSign();
        if (!check.seeds().equals("mean")) {
            double vb = check.seeds().equals("median") ? b.median() : b.worst(sign);
            double vc = check.seeds().equals("median") ? c.median() : c.worst(sign);
            double worse = sign * (vc - vb);
            return new Row(config, check, b, c, vc - vb, tolerance, Double.NaN, Double.NaN, verdict(worse, worse,
                    tolerance), String.join("; ", notes));
        }
        double delta = c.mean() - b.mean();
        double worse = sign * delta;
        double se;
        double df;
        if (b.n() >= 2 && c.n() >= 2) {
            double vb = b.variance() / b.n();
            double vc = c.variance() / c.n();
            se = Math.sqrt(vb + vc);
            df = (vb + vc) * (vb + vc) / (vb * vb / (b.n() - 1) + vc * vc / (c.n() - 1));
        } else if (b.n() >= 2 || c.n() >= 2) {
            SeedValues spread = b.n() >= 2 ? b : c; // one side has one seed: take the other's spread for both
            se = spread.sd() * Math.sqrt(1.0 / b.n() + 1.0 / c.n());
            df = spread.n() - 1;
            notes.add("one seed on one side: the other side's spread stands for both");
        } else {
            se = 0;
            df = 1;
            notes.add("one seed each: no spread to test, tolerance only");
        }
        if (!(se > 0)) {
            return new Row(config, check, b, c, delta, tolerance, worse, Double.NaN, verdict(worse, worse,
                    tolerance), String.join("; ", notes));
        }
        double q = StudentT.quantile(1 - alpha, df);
        double low = worse - q * se;
        double high = worse + q * se;
        double p = 1 - StudentT.cdf((worse - tolerance) / se, df);
        return new Row(config, check, b, c, delta, tolerance, low, p, verdict(low, high, tolerance),
                String.join("; ", notes));
    }

    /** From the bounds on how much worse the candidate is. */
    private static Verdict verdict(double worseLow, double worseHigh, double tolerance) {
        if (worseLow > tolerance) {
            return Verdict.REGRESSION;
        }
        return worseHigh < -tolerance ? Verdict.BETTER : Verdict.PASS;
    }

    /** The finite values of {@code metric} over the runs; what is missing, and why, goes to {@code notes}. */
    private static SeedValues values(List<SweepResults.RunResult> runs, String metric, List<String> notes,
                                     String side) {
        List<Double> values = new ArrayList<>();
        for (SweepResults.RunResult r : runs) {
            Double v = r.metrics().get(metric);
            if (v != null && Double.isFinite(v) && r.finished()) {
                values.add(v);
            } else if (!r.finished()) {
                notes.add(side + " seed " + r.seed() + " " + r.status() + " (" + r.run() + ")");
            } else {
                notes.add(side + " seed " + r.seed() + ": " + metric + " " + (v == null ? "not reported"
                        : "= " + v) + " (" + r.run() + ")");
            }
        }
        return SeedValues.of(values);
    }
}
