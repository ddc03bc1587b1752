package dev.shortrun.regression;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Against printed t tables (and scipy.stats.t, which gives the same to the digits shown). */
class StudentTTest {
    @Test
    void quantilesMatchTables() {
        assertEquals(6.313752, StudentT.quantile(0.95, 1), 1e-5);
        assertEquals(2.131847, StudentT.quantile(0.95, 4), 1e-5);
        assertEquals(4.604095, StudentT.quantile(0.995, 4), 1e-5);
        assertEquals(1.644854, StudentT.quantile(0.95, 1e7), 1e-4); // the normal limit
        assertEquals(2.228139, StudentT.quantile(0.975, 10), 1e-5);
        assertEquals(-2.228139, StudentT.quantile(0.025, 10), 1e-5);
    }

    @Test
    void cdfIsTheQuantilesInverseAlsoForFractionalDegreesOfFreedom() {
        for (double df : new double[] {1.3, 2.7, 4.0, 17.5}) {
            for (double p : new double[] {0.6, 0.9, 0.99, 0.999}) {
                assertEquals(p, StudentT.cdf(StudentT.quantile(p, df), df), 1e-9, "df " + df + " p " + p);
            }
        }
        assertEquals(0.5, StudentT.cdf(0, 3), 1e-12);
        assertEquals(0.75, StudentT.cdf(1, 1), 1e-9); // Cauchy: 1/2 + atan(1)/pi
    }
}
