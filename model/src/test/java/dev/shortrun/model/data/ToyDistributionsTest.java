package dev.shortrun.model.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The registered 2D toys: their samplers, densities and extents. */
class ToyDistributionsTest {
    private static final int N = 40000;

    @Test
    void gmmPointsSitNearOneOfEightEquallyUsedMeans() {
        float[] p = DatasetFormats.toy("gmm").sample(N, 1L);
        assertEquals(2 * N, p.length);
        int[] counts = new int[8];
        for (int i = 0; i < N; i++) {
            int best = -1;
            double bestDist = Double.MAX_VALUE;
            for (int k = 0; k < 8; k++) {
                double a = 2 * Math.PI * k / 8;
                double d = Math.hypot(p[2 * i] - Math.cos(a), p[2 * i + 1] - Math.sin(a));
                if (d < bestDist) {
                    bestDist = d;
                    best = k;
                }
            }
            assertTrue(bestDist < 5 * 0.15, "point " + i + " is " + bestDist + " from every mean");
            counts[best]++;
        }
        // Binomial sd sqrt(N * 1/8 * 7/8) ~ 66; allow 5 sd.
        for (int c : counts) assertEquals(N / 8.0, c, 330, Arrays.toString(counts));
    }

    @Test
    void ringRadiiClusterAtOneToFour() {
        float[] p = DatasetFormats.toy("rings").sample(N, 2L);
        int[] counts = new int[5];
        double sumSq = 0;
        for (int i = 0; i < N; i++) {
            double r = Math.hypot(p[2 * i], p[2 * i + 1]);
            long k = Math.max(1, Math.min(4, Math.round(r))); // nearest ring
            assertTrue(Math.abs(r - k) < 5 * 0.15, "radius " + r);
            counts[(int) k]++;
            sumSq += (r - k) * (r - k);
        }
        for (int k = 1; k <= 4; k++) assertEquals(N / 4.0, counts[k], 5 * Math.sqrt(N * 3 / 16.0), Arrays.toString(counts));
        assertEquals(0.15, Math.sqrt(sumSq / N), 0.005, "radial sd");
    }

    @Test
    void samplingIsDeterministicPerSeed() {
        ToyDistribution rings = DatasetFormats.toy("rings");
        assertArrayEquals(rings.sample(100, 7L), rings.sample(100, 7L));
        assertFalse(Arrays.equals(rings.sample(100, 7L), rings.sample(100, 8L)));
    }

    @Test
    void densitiesIntegrateToOneOverTheExtent() {
        // gmm is an exact mixture density. rings uses the REFERENCE formula with 2*pi*k, which is also
        // normalised over the plane (integral of N(r; k, s^2) * r / k dr is 1 up to the mass at r < 0).
        for (String name : DatasetFormats.toyNames()) {
            double e = DatasetFormats.toy(name).extent();
            int cells = 1200;
            double h = 2 * e / cells, total = 0;
            for (int i = 0; i < cells; i++) {
                for (int j = 0; j < cells; j++) {
                    total += DatasetFormats.toy(name).density(-e + (i + 0.5) * h, -e + (j + 0.5) * h);
                }
            }
            assertEquals(1.0, total * h * h, 2e-3, name);
        }
    }

    @Test
    void ringsDensityIsTheReferenceFormulaWithTwoPiK() {
        double x = 1.1, y = 0.3, r = Math.hypot(x, y), reference = 0;
        for (int k = 1; k <= 4; k++) {
            double normal = Math.exp(-(r - k) * (r - k) / (2 * 0.0225)) / Math.sqrt(2 * Math.PI * 0.0225);
            reference += 0.25 * normal / (2 * Math.PI * k);
        }
        assertEquals(reference, DatasetFormats.toy("rings").density(x, y), 1e-12);
        assertTrue(Math.abs(r - 1) > 0.1, "at this point 2*pi*k and 2*pi*r differ, so the check is meaningful");
    }

    @Test
    void gmmDensityAtAMean() {
        double peak = 1 / (2 * Math.PI * 0.0225) / 8; // neighbours 0.77 away add ~exp(-13) each
        assertEquals(peak, DatasetFormats.toy("gmm").density(1, 0), peak * 1e-5);
    }

    @Test
    void extentsAndUnknownNames() {
        assertEquals(1.6, DatasetFormats.toy("gmm").extent(), 1e-12);
        assertEquals(4.6, DatasetFormats.toy("rings").extent(), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatasetFormats.toy("moons"));
        assertTrue(e.getMessage().startsWith("unknown dataset 'moons' (registered: "), e.getMessage());
    }
}
