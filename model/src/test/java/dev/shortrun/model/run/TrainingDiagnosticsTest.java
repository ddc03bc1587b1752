package dev.shortrun.model.run;

import dev.shortrun.model.TestSupport;
import dev.shortrun.model.learning.LearnerConfig;
import dev.shortrun.model.learning.TrainConfig;
import dev.shortrun.model.sampling.LangevinConfig;
import dev.shortrun.model.torch.Torch;
import dev.shortrun.model.util.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** d_s_t, r_t, v_t and their correlations (the Anatomy paper's Figure 4). */
class TrainingDiagnosticsTest {
    @Test
    void alternatingSeriesHaveTheCorrelationsWorkedOutByHand() {
        // d = +-1 alternating, r = 2, 0, 2, 0: T = 4, d scaled by sqrt(4/3), r standardised to +-1/sqrt(4/3).
        TrainingDiagnostics.Correlations c = TrainingDiagnostics.correlations(new double[] {1, -1, 1, -1},
                new double[] {2, 0, 2, 0});
        assertArrayEquals(new double[] {-3, -2, -1, 0, 1, 2, 3}, c.crossLags());
        // lag k: sum over the 4 - |k| overlapping terms of (+-1)(+-1) * 3/4, divided by T - 1 = 3
        assertArrayEquals(new double[] {-0.25, 0.5, -0.75, 1, -0.75, 0.5, -0.25}, c.cross(), 1e-12);
        assertArrayEquals(new double[] {1, -0.75, 0.5, -0.25}, c.autoD(), 1e-12);
        assertArrayEquals(new double[] {1, -0.75, 0.5, -0.25}, c.autoR(), 1e-12);
    }

    @Test
    void correlationsMatchTheReferenceCodesNumpyFormula(@TempDir Path dir) throws Exception {
        Rng rng = new Rng(3);
        int t = 60;
        double[] d = new double[t];
        double[] r = new double[t];
        for (int i = 0; i < t; i++) {
            d[i] = Math.sin(i * 0.7) + 0.3 * rng.nextGaussian() + 0.2;
            r[i] = 1 + (i > 0 ? 0.5 * d[i - 1] : 0) + 0.1 * rng.nextGaussian();
        }
        TrainingDiagnostics.Correlations c = TrainingDiagnostics.correlations(d, r);
        // plot_diagnostics of the Anatomy code, verbatim in its arithmetic (numpy instead of torch)
        String script = String.format(Locale.ROOT, """
                import numpy as np
                d = np.array([%s]); r = np.array([%s]); T = len(d); L = min(15, T - 1)
                en = d / np.sqrt(np.sum(d * d) / (T - 1))
                gr = (r - r.mean()) / r.std(ddof=1)
                cc = np.correlate(en, gr, 'full') / (T - 1)
                ea = np.correlate(en, en, 'full') / (T - 1)
                ga = np.correlate(gr, gr, 'full') / (T - 1)
                m = (len(cc) - 1) // 2
                print(' '.join(repr(v) for v in cc[m - L:m + L + 1]))
                print(' '.join(repr(v) for v in ea[m:m + L + 1]))
                print(' '.join(repr(v) for v in ga[m:m + L + 1]))
                """, join(d), join(r));
        Files.writeString(dir.resolve("corr.py"), script);
        Process p = new ProcessBuilder(TestSupport.python(), dir.resolve("corr.py").toString())
                .redirectErrorStream(true).start();
        String[] lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().split("\n");
        assertEquals(0, p.waitFor(), "numpy failed: " + String.join("\n", lines));
        assertArrayEquals(parse(lines[0]), c.cross(), 1e-12);
        assertArrayEquals(parse(lines[1]), c.autoD(), 1e-12);
        assertArrayEquals(parse(lines[2]), c.autoR(), 1e-12);
        assertEquals(31, c.cross().length);
    }

    private static String join(double[] v) {
        return String.join(", ", Arrays.stream(v).mapToObj(x -> Double.toString(x)).toList());
    }

    private static double[] parse(String line) {
        return Arrays.stream(line.trim().split(" ")).mapToDouble(Double::parseDouble).toArray();
    }

    @Test
    void energyScaleIsTheAnatomyEnergyOfTheRunsLangevin() {
        LearnerConfig shortRun = LearnerConfig.shortRun();
        // seed code: x + grad f + 0.01 Z is Anatomy's Langevin with eps = 0.01 on U = -(2/0.01^2) f
        assertEquals(20_000, shortRun.energyScale(LangevinConfig.shortRun(100)), 1e-9);
        assertEquals(1.0, shortRun.lossScale());
        LearnerConfig anatomy = Runs.gmmPersistent(100, 5, 1, 1).learner();
        double eps = 0.125;
        assertEquals(2 / (eps * eps), anatomy.lossScale(), 1e-12);
        assertEquals(2 / (eps * eps), anatomy.energyScale(LangevinConfig.anatomy(eps, 1, 5, 5)), 1e-12);
        // with the noise off (tau = 0) eps still defines U
        assertEquals(2 / (eps * eps), anatomy.energyScale(LangevinConfig.anatomy(eps, 0, 5, 5)), 1e-12);
        assertEquals(eps * eps / 2 * 0.1, anatomy.lr().at(0), 1e-15);
    }

    @Test
    void trainingLogsDiagnosticsAndDrawsFigureFour(@TempDir Path dir) throws IOException {
        Torch.configure(1);
        TrainConfig config = Runs.gmmPersistent(200, 5, 20, 20);
        Trainer.start(config, dir, Runs.QUIET);
        double[][] m = MetricsLog.columns(dir.resolve("metrics.csv"), "f_pos", "f_neg", "grad_norm", "d_s_t",
                "r_t", "v_t");
        double c = 2 / (0.125 * 0.125);
        assertEquals(20, m[0].length);
        for (int i = 0; i < 20; i++) {
            // U = -c f: d_s_t = mean U(x+) - mean U(x-) = c (mean f(x-) - mean f(x+))
            assertEquals(c * (m[1][i] - m[0][i]), m[3][i], 1e-9 * Math.abs(m[3][i]) + 1e-9, "d_s_t row " + i);
            assertEquals(m[2][i], m[4][i], 0, "r_t = mean ||grad F|| (step 1 on grad f)");
            assertEquals(c * m[2][i], m[5][i], 1e-9 * m[5][i], "v_t = r_t * 2/eps^2");
            assertTrue(m[4][i] > 0, "the chain has a gradient");
        }
        BufferedImage img = ImageIO.read(dir.resolve(RunDirectory.DIAGNOSTICS_PNG).toFile());
        assertEquals(1120, img.getWidth(), "two panels side by side");
        assertEquals(720, img.getHeight(), "two rows of panels");
    }
}
