package dev.shortrun.model.longrun;

import dev.shortrun.model.metrics.DensityGrid;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether a model's long-run chains keep the data's energy and look, or leave them: {@code convergent} or
 * {@code non-convergent} in the sense of the Anatomy paper (Sec. 3.2).
 *
 * <p>The rule. If the learned density p = exp(-U) / Z approximates the data density q, samples of p (long chains
 * from data or noise) are distributed like data, so their energies fall in the data's energy range. The paper's
 * signature of non-convergent ML is the opposite: long-run samples "over-saturate and have far lower energy than
 * data" (Sec. 1, Fig. 2-3). So a model is non-convergent when, for chains from noise or from data,
 * <ol>
 *   <li>the median energy after L steps lies more than {@link #BAND_WIDTHS} data-band widths below the band, the
 *       band being the 5-95% range of U over a data batch: one band width below the band is already rarer than 1 in
 *       20 data points, three is far outside anything the data do, so the chains found states the model prefers
 *       strongly to every data point; or</li>
 *   <li>(images) the fraction of saturated pixels (|x| > 0.99) exceeds the data's by more than
 *       {@link #SATURATION_EXCESS}: a quarter of all pixels driven to the bounds that the data leave inside.</li>
 * </ol>
 * Energies ABOVE the band (less likely than data) do not count against the model: a chain from noise that has not
 * yet reached the data's energies in L steps says the chain is short, not that the density is wrong. Otherwise the
 * model is convergent for this chain length; longer chains can still reveal drift, which is why the numbers (how
 * many band widths, which saturation) are reported beside the label. On 2D toys there is no saturation, and a
 * too-sharp density keeps long-run energies inside the band, so a convergent label there carries a caution pointing
 * to the grid KL of the {@code density} step, which does separate the two regimes.
 *
 * @param label           {@link #CONVERGENT} or {@link #NON_CONVERGENT}
 * @param bandWidthsBelow the largest distance, in band widths, of a chain group's final median energy below the
 *                        data band (negative: inside or above the band)
 * @param saturationExcess the largest saturated fraction of a chain group minus the data's (NaN for 2D toys)
 * @param reasons         one line per criterion that fired, or why none did
 * @param stationaryKl    (2D toys) KL(true || exp(-U)/Z) on the paper's grid: how far the chains' stationary density,
 *                        the limit of infinitely long runs, is from the data; NaN for images
 */
public record Verdict(String label, double bandWidthsBelow, double saturationExcess, List<String> reasons,
                      double stationaryKl) {
    public static final String CONVERGENT = "convergent";
    public static final String NON_CONVERGENT = "non-convergent";
    public static final double BAND_WIDTHS = 3.0;
    public static final double SATURATION_EXCESS = 0.25;
    /**
     * 2D toys: above this KL(true || learned) in nats the stationary density is not the data's. Models the paper
     * calls convergent measure 0.5-0.7 here after a few hundred iterations (their KDE of samples is as far), the
     * non-convergent ones 11-18 (a density collapsed onto sharp peaks); 3 nats sits well between.
     */
    public static final double TOY_KL_LIMIT = 3.0;
    private static final String TOY_CAUTION = "caution: on 2D toys";
    /**
     * Below this MALA acceptance the chains barely moved (a sharp energy rejects nearly every proposal at this eps),
     * so staying near the data says little: a convergent label then carries a caution.
     */
    public static final double FROZEN_ACCEPTANCE = 0.05;

    public Verdict {
        reasons = List.copyOf(reasons);
    }

    public boolean convergent() {
        return CONVERGENT.equals(label);
    }

    /**
     * @param data   the data's energy band and saturation
     * @param finals     each chain group's state after the last step, by group name ("noise", "data")
     * @param acceptance MALA's acceptance rate, NaN for plain Langevin
     */
    public static Verdict judge(LongRunReport.DataBand data, Map<String, LongRunReport.Point> finals,
                                double acceptance) {
        double width = data.width();
        double worstBelow = Double.NEGATIVE_INFINITY;
        double worstSaturation = Double.NaN;
        List<String> reasons = new ArrayList<>();
        for (Map.Entry<String, LongRunReport.Point> e : finals.entrySet()) {
            LongRunReport.Point p = e.getValue();
            double below = (data.q05() - p.medianEnergy()) / width;
            worstBelow = Math.max(worstBelow, below);
            if (!(below <= BAND_WIDTHS)) { // NaN energies (a diverged chain) count as leaving the band
                reasons.add(String.format(Locale.ROOT, "chains from %s end at median U = %.4g, %.3g data-band widths "
                        + "below the data's 5%% energy %.4g (limit %.0f)", e.getKey(), p.medianEnergy(), below,
                        data.q05(), BAND_WIDTHS));
            }
            if (!Double.isNaN(p.saturation())) {
                double excess = p.saturation() - data.saturation();
                worstSaturation = Double.isNaN(worstSaturation) ? excess : Math.max(worstSaturation, excess);
                if (excess > SATURATION_EXCESS) {
                    reasons.add(String.format(Locale.ROOT, "chains from %s end with %.1f%% saturated pixels, the data "
                            + "%.1f%% (limit +%.0f points)", e.getKey(), 100 * p.saturation(),
                            100 * data.saturation(), 100 * SATURATION_EXCESS));
                }
            }
        }
        if (reasons.isEmpty()) {
            reasons.add(String.format(Locale.ROOT, "long-run energies stay within %.0f band widths of the data band "
                    + "(worst %.3g below)%s", BAND_WIDTHS, worstBelow, Double.isNaN(worstSaturation) ? ""
                    : String.format(Locale.ROOT, " and saturation within +%.0f points of the data's (worst %+.1f)",
                            100 * SATURATION_EXCESS, 100 * worstSaturation)));
            if (Double.isNaN(data.saturation())) {
                // A too-sharp toy density (the non-convergent Figure 6 case) puts long-run chains on the modes'
                // centres: energies lower than typical data but still inside the band, and no pixels to saturate.
                reasons.add(TOY_CAUTION + " the energy band cannot see a too-sharp density; the toy criterion "
                        + "is KL(true || learned) on the grid (`./shortrun density`, step density): a few tenths of "
                        + "a nat for convergent models, over ten for non-convergent ones");
            }
            if (acceptance < FROZEN_ACCEPTANCE) {
                reasons.add(String.format(Locale.ROOT, "caution: MALA accepted only %.2f%% of proposals, so the "
                        + "chains barely moved and this verdict is weak; use a smaller eps (the paper: 2e-3) or "
                        + "plain Langevin", 100 * acceptance));
            }
            return new Verdict(CONVERGENT, worstBelow, worstSaturation, reasons, Double.NaN);
        }
        return new Verdict(NON_CONVERGENT, worstBelow, worstSaturation, reasons, Double.NaN);
    }

    /**
     * Adds the 2D-toy criterion: a long chain's limit is the learned density itself, which on 2D can be evaluated
     * exactly on the grid instead of sampled. Non-convergent when it is more than {@link #TOY_KL_LIMIT} nats from
     * the data density (the band rule alone cannot see a too-sharp toy density, whose peaks stay inside the band).
     */
    public Verdict withStationaryKl(double klTrueLearned) {
        List<String> kept = new ArrayList<>(reasons.stream().filter(r -> !r.startsWith(TOY_CAUTION)).toList());
        boolean far = !(klTrueLearned <= TOY_KL_LIMIT); // NaN (a diverged energy) counts as far
        String line = String.format(Locale.ROOT, "the chains' stationary density exp(-U)/Z on the %dx%d grid is "
                + "KL(true || learned) = %.3g nats from the data density (limit %.0f)", DensityGrid.PAPER_SIZE,
                DensityGrid.PAPER_SIZE, klTrueLearned,
                TOY_KL_LIMIT);
        if (far && convergent()) {
            kept.clear(); // the band lines explained a convergent label that no longer holds
        }
        kept.add(line);
        return new Verdict(far || !convergent() ? NON_CONVERGENT : CONVERGENT, bandWidthsBelow, saturationExcess,
                kept, klTrueLearned);
    }
}
