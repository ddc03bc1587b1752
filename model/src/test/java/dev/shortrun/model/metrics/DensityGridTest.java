package dev.shortrun.model.metrics;

import dev.shortrun.model.data.DatasetFormats;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DensityGridTest {
    @Test
    void paperGridIsALinspaceOverRPlusFourSd() {
        DensityGrid gmm = DensityGrid.forToy("gmm");
        assertEquals(200, gmm.size());
        assertEquals(-1.6, gmm.coordinate(0), 1e-12);
        assertEquals(1.6, gmm.coordinate(199), 1e-12);
        assertEquals(4.6, DensityGrid.forToy("rings").extent(), 1e-12);
        float[] xy = gmm.points();
        assertEquals(gmm.coordinate(5), xy[2 * (3 * 200 + 5)], 1e-6); // cell iy=3, ix=5 holds (x5, y3)
        assertEquals(gmm.coordinate(3), xy[2 * (3 * 200 + 5) + 1], 1e-6);
    }

    @Test
    void trueDensityIntegratesToAboutOneBeforeNormalising() {
        for (String toy : new String[] {"gmm", "rings"}) {
            DensityGrid g = DensityGrid.forToy(toy);
            double sum = 0;
            for (int iy = 0; iy < g.size(); iy++) {
                for (int ix = 0; ix < g.size(); ix++) {
                    sum += DatasetFormats.toy(toy).density(g.coordinate(ix), g.coordinate(iy));
                }
            }
            assertEquals(1.0, sum * g.cellArea(), 0.01, toy + ": Riemann sum of the true density");
        }
    }

    @Test
    void hugeLogDensitiesNormaliseWithoutOverflow() {
        // 2f/eps^2 at eps = 0.01 reaches tens of thousands of nats: exp would overflow without the shift
        double[] log = {20000, 20000 + Math.log(3), -50000};
        double[] q = DensityGrid.fromLogDensity(log);
        assertEquals(0.25, q[0], 1e-12);
        assertEquals(0.75, q[1], 1e-12);
        assertEquals(0.0, q[2], 1e-300);
        assertThrows(IllegalArgumentException.class, () -> DensityGrid.fromLogDensity(new double[] {1, Double.NaN}));
    }

    @Test
    void klIsZeroForEqualMassesAndUsesTheFloorWhereQVanishes() {
        double[] p = {0.5, 0.5, 0};
        assertEquals(0, DensityGrid.kl(p, p), 1e-15);
        assertEquals(Math.log(2), DensityGrid.kl(new double[] {1, 0}, new double[] {0.5, 0.5}), 1e-15);
        double capped = DensityGrid.kl(new double[] {1, 0}, new double[] {0, 1});
        assertEquals(-Math.log(DensityGrid.MASS_FLOOR), capped, 1e-9);
        assertTrue(DensityGrid.kl(p, new double[] {0.9, 0.1, 0}) > 0);
    }

    @Test
    void collapsedSamplesGiveAClearKdeError() {
        float[] line = {0, 0, 1, 1, 2, 2, 3, 3};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new GaussianKde(line, 0.1));
        assertTrue(e.getMessage().contains("singular covariance"), e.getMessage());
    }
}
