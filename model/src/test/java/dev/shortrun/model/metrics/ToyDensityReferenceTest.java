package dev.shortrun.model.metrics;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.shortrun.model.TestSupport;
import dev.shortrun.model.data.DatasetFormats;
import dev.shortrun.model.io.Npy;
import dev.shortrun.model.io.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The KDE, the true densities and the grid KL against scipy ({@code gaussian_kde}, {@code multivariate_normal}) as
 * the Anatomy reference code uses them (infra/reference/toy_density_reference.py). Needs python3-scipy.
 */
class ToyDensityReferenceTest {
    @TempDir
    Path dir;

    @Test
    void gmmMatchesScipy() throws Exception {
        // short-run-like samples: data with a wider, shifted spread, so the KDE differs visibly from the truth
        float[] samples = DatasetFormats.toy("gmm").sample(1500, 7L);
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (float) (1.1 * samples[i] + 0.05 * rng.nextGaussian() + 0.02);
        }
        compare("gmm", samples);
    }

    @Test
    void ringsMatchesScipy() throws Exception {
        compare("rings", DatasetFormats.toy("rings").sample(1500, 11L));
    }

    private void compare(String toy, float[] samples) throws Exception {
        // smaller than 200: a faster scipy run
        DensityGrid grid = new DensityGrid(DatasetFormats.toy(toy).extent(), 120);
        double factor = DatasetFormats.toy(toy).kdeFactor();
        Npy.write(dir.resolve("samples.npy"), new Tensor(new long[] {samples.length / 2, 2}, samples));
        JsonObject ref = runReference(toy, factor, grid.size());

        GaussianKde kde = new GaussianKde(samples, factor);
        double[] mine = kde.evaluate(grid);
        float[] theirs = Npy.read(dir.resolve("kde.npy")).data();
        double max = 0, worst = 0, worstLog = 0;
        for (int i = 0; i < mine.length; i++) {
            max = Math.max(max, theirs[i]);
        }
        for (int i = 0; i < mine.length; i++) {
            worst = Math.max(worst, Math.abs(mine[i] - theirs[i]));
            if (theirs[i] > 1e-8 * max) { // the log panels show these: relative agreement there too
                worstLog = Math.max(worstLog, Math.abs(Math.log(mine[i] / theirs[i])));
            }
        }
        assertTrue(worst <= 1e-5 * max, toy + ": KDE max |diff| " + worst + " vs scipy max " + max);
        assertTrue(worstLog <= 1e-4, toy + ": KDE max |log ratio| " + worstLog + " where scipy > 1e-8 max");

        double[] cov = kde.kernelCovariance();
        var refCov = ref.getAsJsonArray("kernel_cov");
        assertEquals(refCov.get(0).getAsDouble(), cov[0], 1e-9 * cov[0], toy + ": kernel var x");
        assertEquals(refCov.get(1).getAsDouble(), cov[1], 1e-9 * cov[0], toy + ": kernel cov xy");
        assertEquals(refCov.get(3).getAsDouble(), cov[2], 1e-9 * cov[2], toy + ": kernel var y");

        float[] truthRef = Npy.read(dir.resolve("truth.npy")).data();
        double[] truth = grid.truth(toy);
        double[] truthRefMass = new double[truthRef.length];
        for (int i = 0; i < truthRef.length; i++) {
            truthRefMass[i] = truthRef[i];
        }
        truthRefMass = DensityGrid.normalise(truthRefMass);
        for (int i = 0; i < truth.length; i++) {
            assertEquals(truthRefMass[i], truth[i], 1e-6 * truthRefMass[i] + 1e-15, toy + ": true mass at cell " + i);
        }
        double kl = DensityGrid.kl(truth, DensityGrid.normalise(mine));
        assertTrue(kl > 0.01, toy + ": the samples differ from the truth, KL must be clearly positive: " + kl);
        assertEquals(ref.get("kl_true_kde").getAsDouble(), kl, 1e-4 * kl, toy + ": KL(true || KDE) vs numpy");
    }

    private JsonObject runReference(String toy, double factor, int size) throws IOException, InterruptedException {
        Path script = TestSupport.root().resolve("infra/reference/toy_density_reference.py");
        Process p = new ProcessBuilder(TestSupport.python(), script.toString(), dir.toString(), toy,
                Double.toString(factor), Integer.toString(size)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "the scipy reference failed; it needs numpy and scipy for "
                + TestSupport.python() + " (Debian: apt-get install python3-scipy; infra/test.sh installs it):\n"
                + output);
        String[] lines = output.strip().split("\n");
        return JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
    }
}
