package dev.shortrun.pipeline;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The papers' published results for the sweeps that reproduce them (sweeps/*.yaml), keyed by sweep name: the one
 * place these numbers live. Values are as printed in the papers (Nijkamp et al. 2019, Tables 2 and 3; see
 * ../shared/REFERENCE.md). Where a paper gives no number (the Anatomy toys, Figure 6), a value is the direction the
 * paper states ("small", "large"), never an invented number.
 */
public final class PaperNumbers {
    private PaperNumbers() {
    }

    /**
     * A quantity the paper reports, and the metrics of ours that measure it, the best match first (ours computes
     * FID with the FID Inception as {@code fid}, or with the offline LeNet as {@code fid_lenet}).
     */
    public record Quantity(String label, List<String> ours) {
    }

    /**
     * One row of a paper's table.
     *
     * @param at     the swept values it holds at, in the order of the table's keys
     * @param values the paper's value of each quantity, as printed ("63.81") or as a direction ("small")
     */
    public record Row(List<String> at, List<String> values) {
    }

    /**
     * A paper's table for one sweep.
     *
     * @param keys   the spec keys (or {@code pipeline}) its rows are at, e.g. {@code sampler.K}, {@code learner.sigma}
     * @param source where the numbers are in the paper, and what the paper ran
     */
    public record Table(String sweep, String source, List<String> keys, List<Quantity> quantities, List<Row> rows) {
        /** The row at these values of the keys (numbers compare as numbers: "0.1" is "0.10"); empty if none. */
        public Optional<Row> rowAt(List<String> values) {
            return rows.stream().filter(r -> same(r.at(), values)).findFirst();
        }

        /** Whether the paper gives numbers (not only directions). */
        public boolean numeric() {
            return rows.stream().flatMap(r -> r.values().stream()).allMatch(PaperNumbers::isNumber);
        }
    }

    private static final String SHORT_RUN = "Nijkamp et al. 2019, Learning Non-Convergent Non-Persistent Short-Run "
            + "MCMC Toward Energy-Based Model";
    private static final List<Quantity> FID_IS = List.of(new Quantity("FID", List.of("fid", "fid_lenet")),
            new Quantity("IS", List.of("is", "is_lenet")));
    private static final Quantity KL_LEARNED = new Quantity("KL(true||learned)", List.of("kl_true_learned"));
    private static final Quantity KL_KDE = new Quantity("KL(true||KDE)", List.of("kl_true_kde"));
    private static final List<String> CONVERGENT = List.of("small", "small");
    private static final List<String> NONCONVERGENT = List.of("large", "small");

    private static final Map<String, Table> TABLES = Map.of(
            "table2", new Table("table2", SHORT_RUN + ", Table 2: CIFAR-10 32x32, n_f 32, K paired with the data "
                    + "noise sigma; ||df/dx|| is the mean input-gradient norm over the K-step chain.",
                    List.of("sampler.K", "learner.sigma"),
                    List.of(FID_IS.get(0), FID_IS.get(1), new Quantity("||df/dx||", List.of("grad_norm"))),
                    List.of(row(List.of("5", "0.15"), "213.08", "2.06", "7.78"),
                            row(List.of("10", "0.1"), "182.5", "2.27", "3.85"),
                            row(List.of("25", "0.05"), "92.13", "4.06", "1.76"),
                            row(List.of("50", "0.04"), "68.28", "4.82", "0.97"),
                            row(List.of("75", "0.03"), "65.37", "4.88", "0.65"),
                            row(List.of("100", "0.03"), "63.81", "4.92", "0.49"))),
            "table3a", new Table("table3a", SHORT_RUN + ", Table 3 (a): CIFAR-10 32x32, n_f 32, K 100, data noise "
                    + "sigma.", List.of("learner.sigma"), FID_IS,
                    List.of(row(List.of("0.10"), "132.51", "4.05"), row(List.of("0.08"), "117.36", "4.20"),
                            row(List.of("0.06"), "94.72", "4.63"), row(List.of("0.05"), "83.15", "4.78"),
                            row(List.of("0.04"), "65.71", "4.83"), row(List.of("0.03"), "63.81", "4.92"))),
            "table3b", new Table("table3b", SHORT_RUN + ", Table 3 (b): CIFAR-10 32x32, K 100, sigma 0.03, network "
                    + "width n_f.", List.of("model.n_f"), FID_IS,
                    List.of(row(List.of("32"), "63.81", "4.92"), row(List.of("64"), "46.61", "5.49"),
                            row(List.of("128"), "44.50", "6.21"))),
            "toy-anatomy", new Table("toy-anatomy", "Nijkamp et al. 2020, On the Anatomy of MCMC-Based Maximum "
                    + "Likelihood Learning of Energy-Based Models, Figure 6 and Section 4.1 (200k iterations "
                    + "convergent, 100k non-convergent). The paper gives no KL numbers, only what the figure shows: "
                    + "convergent ML learns an energy whose density closely approximates the truth; non-convergent "
                    + "ML's short-run samples reflect the truth while its learned density is sharply concentrated "
                    + "and different from it.", List.of("pipeline"), List.of(KL_LEARNED, KL_KDE),
                    List.of(new Row(List.of("toy-gmm-convergent"), CONVERGENT),
                            new Row(List.of("toy-gmm-nonconvergent"), NONCONVERGENT),
                            new Row(List.of("toy-rings-convergent"), CONVERGENT),
                            new Row(List.of("toy-rings-nonconvergent"), NONCONVERGENT))));

    /** The paper's table a sweep of this name reproduces, if any. */
    public static Optional<Table> forSweep(String name) {
        return Optional.ofNullable(TABLES.get(name));
    }

    private static Row row(List<String> at, String... values) {
        return new Row(at, List.of(values));
    }

    static boolean isNumber(String text) {
        try {
            Double.parseDouble(text);
            return true;
        } catch (NumberFormatException | NullPointerException e) {
            return false;
        }
    }

    private static boolean same(List<String> a, List<String> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            boolean equal = isNumber(a.get(i)) && isNumber(b.get(i))
                    ? Double.parseDouble(a.get(i)) == Double.parseDouble(b.get(i)) : a.get(i).equals(b.get(i));
            if (!equal) {
                return false;
            }
        }
        return true;
    }
}
