package dev.shortrun.model.longrun;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.shortrun.model.nets.Energy;
import dev.shortrun.model.sampling.LangevinConfig;
import dev.shortrun.model.sampling.Temperature;
import dev.shortrun.model.torch.RandomTensors;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.model.util.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real long-run diagnostic on two 8x8 energies whose long-run behaviour is known: one whose likelihood grows
 * without bound towards the all-white corner (the chains over-saturate and fall far below the data's energies), one
 * whose minima are the data's templates and whose density is the data's (the chains stay with the data).
 */
class VerdictOnSyntheticEnergiesTest {
    private static final Shape IMAGE = new Shape(1, 8, 8);
    private static final LangevinConfig TRAINING = LangevinConfig.shortRun(100); // s = 1, n = 0.01
    private static final Temperature T = Temperature.ofTraining(TRAINING);
    private static final int CHAINS = 12;
    /** Enough for both: the template chains relax by a factor 0.98 per step (n^2 / 2 SIGMA^2 = 0.02). */
    private static final int STEPS = 600;
    private static final float SIGMA = 0.05f;
    private static final int TEMPLATES = 4;

    @BeforeAll
    static void engine() {
        Torch.configure(2);
    }

    /** f(x) = a * sum(x): every pixel's likelihood keeps growing towards +1 and beyond. */
    static final class TowardsWhite implements Energy {
        @Override
        public NDArray forward(NDArray x) {
            return x.reshape(x.getShape().get(0), -1).sum(new int[] {1}).mul(0.01f);
        }
    }

    /**
     * exp(f/T) = sum_i N(x; mu_i, SIGMA^2 I): f(x) = T log sum_i exp(-|x - mu_i|^2 / (2 SIGMA^2)), templates mu_i in
     * [-0.7, 0.7]. Its minima of U are the templates and its density is exactly the data's (data = mu_i + SIGMA z).
     */
    static final class Templates implements Energy {
        final NDArray mu; // (M, D)

        Templates(NDManager manager, Rng rng) {
            float[] v = new float[TEMPLATES * 64];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (1.4 * rng.nextDouble() - 0.7);
            }
            mu = manager.create(v, new Shape(TEMPLATES, 64));
        }

        @Override
        public NDArray forward(NDArray x) {
            NDArray flat = x.reshape(x.getShape().get(0), 1, 64);
            NDArray logits = flat.sub(mu.expandDims(0)).square().sum(new int[] {2}).div(-2 * SIGMA * SIGMA); // (N, M)
            NDArray max = logits.max(new int[] {1}, true).stopGradient();
            return logits.sub(max).exp().sum(new int[] {1}).log().add(max.squeeze(1)).mul((float) T.value());
        }

        NDArray sample(NDManager manager, int n, RandomTensors random, Rng rng) {
            float[] pick = new float[n * 64];
            float[] centres = mu.toFloatArray();
            for (int i = 0; i < n; i++) {
                System.arraycopy(centres, rng.nextInt(TEMPLATES) * 64, pick, i * 64, 64);
            }
            return manager.create(pick, new Shape(n, 1, 8, 8)).add(random.normal(manager, new Shape(n, 1, 8, 8))
                    .mul(SIGMA));
        }
    }

    private static LongRunReport diagnose(Energy energy, NDArray data, NDManager manager, RandomTensors random,
                                          LongRunSettings.Sampler sampler) {
        NDArray noise = random.uniform(manager, new Shape(CHAINS).addAll(IMAGE), -1, 1);
        LongRunSettings settings = new LongRunSettings(STEPS, CHAINS, sampler, null, LongRunSettings.Starts.BOTH, 1);
        return new LongRunDiagnostic(energy, T, TRAINING).run(noise, data.get("0:" + CHAINS), data, settings,
                random, 4, null, "synthetic", 0).report();
    }

    @Test
    void energyThatRunsToTheWhiteCornerIsNonConvergent() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RandomTensors random = new RandomTensors(new Rng(7));
            NDArray data = random.uniform(manager, new Shape(200).addAll(IMAGE), -0.5f, 0.5f);
            LongRunReport r = diagnose(new TowardsWhite(), data, manager, random, LongRunSettings.Sampler.PLAIN);
            assertEquals(Verdict.NON_CONVERGENT, r.verdict().label(), r.verdict().reasons().toString());
            assertTrue(r.verdict().bandWidthsBelow() > Verdict.BAND_WIDTHS, "energy far below the data band: "
                    + r.verdict().bandWidthsBelow());
            LongRunReport.Point last = r.fromData().get(r.fromData().size() - 1);
            assertEquals(1.0, last.saturation(), 1e-6, "every pixel saturated");
            assertEquals(0.0, r.data().saturation(), 1e-9, "data never saturate");
            assertEquals(LogSteps.upTo(STEPS).size(), r.noise().size(), "one trace point per log-spaced step");
            assertTrue(Double.isNaN(r.acceptanceRate()), "plain Langevin has no acceptance rate");
        }
    }

    @Test
    void energyWhoseMinimaAreTheDataIsConvergentWithPlainLangevinAndMala() {
        for (LongRunSettings.Sampler sampler : LongRunSettings.Sampler.values()) {
            try (NDManager manager = NDManager.newBaseManager()) {
                Rng rng = new Rng(11);
                RandomTensors random = new RandomTensors(rng);
                Templates energy = new Templates(manager, rng);
                NDArray data = energy.sample(manager, 300, random, rng);
                LongRunReport r = diagnose(energy, data, manager, random, sampler);
                assertEquals(Verdict.CONVERGENT, r.verdict().label(), sampler + ": " + r.verdict().reasons());
                for (var trace : java.util.List.of(r.noise(), r.fromData())) {
                    LongRunReport.Point last = trace.get(trace.size() - 1);
                    assertTrue(last.medianEnergy() >= r.data().q05() && last.medianEnergy() <= r.data().q95(),
                            sampler + ": median energy " + last.medianEnergy() + " inside the data band ["
                                    + r.data().q05() + ", " + r.data().q95() + "]");
                    assertEquals(0.0, last.saturation(), 0.01, "no saturation");
                }
                // chains from noise start far above the band (unlikely) and come down into it
                assertTrue(r.noise().get(0).medianEnergy() > r.data().q95() + 10 * r.data().width());
                if (sampler == LongRunSettings.Sampler.MALA) {
                    assertTrue(r.acceptanceRate() > 0.5 && r.acceptanceRate() < 1, "acceptance " + r.acceptanceRate());
                } else {
                    assertFalse(r.verdict().reasons().isEmpty());
                }
            }
        }
    }

    @Test
    void ruleCountsBandWidthsBelowTheDataAndCautionsFrozenMalaChains() {
        LongRunReport.DataBand band = new LongRunReport.DataBand(100, -10, -5, 0, 0.1);
        var inside = java.util.Map.of("data", new LongRunReport.Point(100, -12, -12, 1, 0.1));
        var farBelow = java.util.Map.of("data", new LongRunReport.Point(100, -41, -41, 1, 0.1)); // 3.1 widths
        var saturated = java.util.Map.of("data", new LongRunReport.Point(100, -12, -12, 1, 0.36));
        var diverged = java.util.Map.of("data", new LongRunReport.Point(100, Double.NaN, Double.NaN, 1, 0.1));
        assertTrue(Verdict.judge(band, inside, Double.NaN).convergent());
        assertEquals(0.2, Verdict.judge(band, inside, Double.NaN).bandWidthsBelow(), 1e-12);
        assertEquals(Verdict.NON_CONVERGENT, Verdict.judge(band, farBelow, Double.NaN).label());
        assertEquals(Verdict.NON_CONVERGENT, Verdict.judge(band, saturated, Double.NaN).label());
        assertEquals(Verdict.NON_CONVERGENT, Verdict.judge(band, diverged, Double.NaN).label());
        assertEquals(1, Verdict.judge(band, inside, 0.5).reasons().size());
        LongRunReport.DataBand toyBand = new LongRunReport.DataBand(100, -10, -5, 0, Double.NaN);
        var toyInside = java.util.Map.of("data", new LongRunReport.Point(100, -8, -8, 1, Double.NaN));
        Verdict toy = Verdict.judge(toyBand, toyInside, Double.NaN);
        assertTrue(toy.convergent() && toy.reasons().size() == 2
                && toy.reasons().get(1).startsWith("caution: on 2D toys"), toy.reasons().toString());
        Verdict sharp = toy.withStationaryKl(15.4); // the quickstart's non-convergent gmm density
        assertEquals(Verdict.NON_CONVERGENT, sharp.label());
        assertEquals(List.of(sharp.reasons().get(0)), sharp.reasons(), "only the KL line explains it");
        assertTrue(sharp.reasons().get(0).contains("KL(true || learned) = 15.4 nats"), sharp.reasons().toString());
        Verdict close = toy.withStationaryKl(0.57);
        assertTrue(close.convergent() && close.reasons().size() == 2
                && close.reasons().stream().noneMatch(r -> r.startsWith("caution")), close.reasons().toString());
        assertEquals(0.57, close.stationaryKl());
        assertEquals(Verdict.NON_CONVERGENT, toy.withStationaryKl(Double.NaN).label());
        assertEquals(Verdict.NON_CONVERGENT, Verdict.judge(toyBand, java.util.Map.of("data",
                new LongRunReport.Point(100, -41, -41, 1, Double.NaN)), Double.NaN).withStationaryKl(0.5).label(),
                "a band failure stays a failure");
        Verdict frozen = Verdict.judge(band, inside, 0.01);
        assertTrue(frozen.convergent() && frozen.reasons().get(1).startsWith("caution: MALA accepted only 1.00%"),
                frozen.reasons().toString());
    }

    @Test
    void logStepsAreOneTwoFivePerDecadeAndEndAtL() {
        assertEquals(java.util.List.of(0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000,
                100000), LogSteps.upTo(100_000));
        assertEquals(java.util.List.of(0, 1, 2, 5, 10, 20, 30), LogSteps.upTo(30));
    }
}
