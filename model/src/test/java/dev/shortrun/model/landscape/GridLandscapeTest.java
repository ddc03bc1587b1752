package dev.shortrun.model.landscape;

import dev.shortrun.model.data.DatasetFormats;
import dev.shortrun.model.metrics.DensityGrid;
import org.junit.jupiter.api.Test;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exact grid reference on analytic 2D energies U = -log(mixture of Gaussians) whose minima and saddles are known
 * (by symmetry, or by a fine 1D search along the line that holds them).
 */
class GridLandscapeTest {
    /** sum_k w_k N((x, y); (cx_k, cy_k), sd_k^2 I) as U = -log. */
    static DoubleBinaryOperator mixture(double[][] components) {
        return (x, y) -> {
            double p = 0;
            for (double[] c : components) {
                double dx = x - c[0], dy = y - c[1], v = c[3] * c[3];
                p += c[2] * Math.exp(-(dx * dx + dy * dy) / (2 * v)) / (2 * Math.PI * v);
            }
            return -Math.log(p);
        };
    }

    static double[] onGrid(DensityGrid grid, DoubleBinaryOperator u) {
        double[] out = new double[grid.cells()];
        for (int iy = 0; iy < grid.size(); iy++) {
            for (int ix = 0; ix < grid.size(); ix++) {
                out[iy * grid.size() + ix] = u.applyAsDouble(grid.coordinate(ix), grid.coordinate(iy));
            }
        }
        return out;
    }

    /** max of f on [a, b] by a 200,001-point scan (the saddle of U along the line through two minima). */
    static double maxOn(DoubleUnaryOperator f, double a, double b) {
        double best = Double.NEGATIVE_INFINITY;
        for (int i = 0; i <= 200_000; i++) {
            best = Math.max(best, f.applyAsDouble(a + (b - a) * i / 200_000.0));
        }
        return best;
    }

    static double minOn(DoubleUnaryOperator f, double a, double b) {
        return -maxOn(t -> -f.applyAsDouble(t), a, b);
    }

    @Test
    void twoEqualWellsMeetAtTheOrigin() {
        DoubleBinaryOperator u = mixture(new double[][] {{-0.6, 0, 0.5, 0.3}, {0.6, 0, 0.5, 0.3}});
        DensityGrid grid = new DensityGrid(1.5, 401); // odd: the origin is a grid point
        GridLandscape g = GridLandscape.of(grid, onGrid(grid, u), 0.0);
        assertEquals(2, g.basins().size());
        assertEquals(2, g.gridMinima());
        double h = 2 * grid.extent() / (grid.size() - 1);
        double trueMin = minOn(x -> u.applyAsDouble(x, 0), 0.0, 1.5);
        for (GridLandscape.Basin b : g.basins()) {
            assertEquals(0.0, b.y(), 1e-12);
            assertEquals(0.6, Math.abs(b.x()), 0.1, "a minimum lies near its well's centre");
            assertEquals(trueMin, b.minimum(), 1e-3, "grid minimum within the spacing's reach of the true one");
            assertFalse(b.atEdge());
        }
        double saddle = u.applyAsDouble(0, 0);
        assertEquals(1, g.tree().merges().size());
        assertEquals(saddle, g.tree().merges().get(0).level(), 1e-9);
        assertEquals(saddle, g.saddles()[0][1], 1e-9);
        assertEquals(saddle, g.tree().barrier(0, 1), 1e-9);
        // the two basins are the two half-planes: a point left of the ridge descends left
        int left = g.basinAt(-0.3, 0.4), right = g.basinAt(0.3, -0.4);
        assertTrue(left != right);
        assertEquals(left, g.basinAt(-1.4, -1.4));
        assertEquals(right, g.basinAt(1.4, 1.4));
        assertTrue(h < 0.01);
    }

    @Test
    void theEightGaussiansHaveEightBasinsJoinedAtTheirSaddles() {
        String toy = "gmm";
        DoubleBinaryOperator u = (x, y) -> -Math.log(DatasetFormats.toy(toy).density(x, y));
        DensityGrid grid = new DensityGrid(DatasetFormats.toy(toy).extent(), LandscapeMapping.GRID_SIZE);
        GridLandscape g = GridLandscape.of(grid, onGrid(grid, u), 0.0);
        assertEquals(8, g.basins().size());
        assertEquals(8, g.interiorBasins());
        // by symmetry the saddle between modes k and k+1 lies on the bisector at angle 2 pi (k + 1/2) / 8: the
        // lowest U along that ray
        double angle = Math.PI / 8;
        double saddle = minOn(r -> u.applyAsDouble(r * Math.cos(angle), r * Math.sin(angle)), 0.3, 1.5);
        assertEquals(7, g.tree().merges().size());
        for (DisconnectivityTree.Merge m : g.tree().merges()) {
            assertEquals(saddle, m.level(), 0.02, "flooding level vs the analytic saddle");
            assertTrue(m.height() > 2.0, "the modes are separated by ~2.5 nats: " + m.height());
        }
        for (GridLandscape.Basin b : g.basins()) {
            double r = Math.hypot(b.x(), b.y());
            assertEquals(1.0, r, 0.03, "minimum near the unit circle: " + b);
            double k = Math.atan2(b.y(), b.x()) / (2 * Math.PI / 8);
            assertEquals(Math.round(k), k, 0.05, "minimum at a mode's angle: " + b);
        }
        int touching = 0;
        for (int i = 0; i < 8; i++) {
            for (int j = i + 1; j < 8; j++) {
                double gap = Math.abs(Math.atan2(g.basins().get(i).y(), g.basins().get(i).x())
                        - Math.atan2(g.basins().get(j).y(), g.basins().get(j).x()));
                boolean neighbours = Math.min(gap, 2 * Math.PI - gap) < Math.PI / 4 + 0.1;
                if (neighbours) {
                    touching++;
                    assertEquals(saddle, g.saddles()[i][j], 0.02);
                } else {
                    // the basins of opposite modes meet only at the centre, far above the ring's saddles
                    assertTrue(g.saddles()[i][j] > saddle + 1, i + "-" + j + ": " + g.saddles()[i][j]);
                    assertTrue(g.tree().barrier(i, j) < g.saddles()[i][j], "around the ring is cheaper");
                }
            }
        }
        assertEquals(8, touching);
    }

    @Test
    void unequalWellsMergeInTheOrderOfTheirSaddles() {
        // wells at x = -1, 0, 1.1 of weights 0.5, 0.2, 0.3: the saddles lie on the x axis (mirror symmetry in y)
        DoubleBinaryOperator u = mixture(new double[][] {{-1, 0, 0.5, 0.3}, {0, 0, 0.2, 0.3}, {1.1, 0, 0.3, 0.3}});
        DensityGrid grid = new DensityGrid(2.0, 401);
        GridLandscape g = GridLandscape.of(grid, onGrid(grid, u), 0.0);
        assertEquals(3, g.basins().size());
        DoubleUnaryOperator line = x -> u.applyAsDouble(x, 0);
        double[] minima = {minOn(line, -1.5, -0.5), minOn(line, -0.4, 0.4), minOn(line, 0.6, 1.6)};
        double leftSaddle = maxOn(line, -1.0, 0.0), rightSaddle = maxOn(line, 0.0, 1.1);
        // basins come in ascending minimum: the heavy left well first, then the right one, then the middle
        assertEquals(minima[0], g.basins().get(0).minimum(), 1e-3);
        assertEquals(minima[2], g.basins().get(1).minimum(), 1e-3);
        assertEquals(minima[1], g.basins().get(2).minimum(), 1e-3);
        double first = Math.min(leftSaddle, rightSaddle), second = Math.max(leftSaddle, rightSaddle);
        assertEquals(first, g.tree().merges().get(0).level(), 1e-3);
        assertEquals(second, g.tree().merges().get(1).level(), 1e-3);
        int middle = 2, joinedFirst = leftSaddle < rightSaddle ? 0 : 1;
        assertEquals(first, g.tree().barrier(middle, joinedFirst), 1e-3);
        assertEquals(second, g.tree().barrier(0, 1), 1e-3, "the outer wells meet over the higher saddle");
        assertEquals(Double.POSITIVE_INFINITY, g.saddles()[0][1], "the outer wells' basins do not touch");
        int[] order = g.tree().leafOrder();
        assertEquals(0, order[0], "the deepest basin is drawn first");
    }

    @Test
    void shallowMinimaMergeIntoTheirDeeperNeighbour() {
        // a narrow, light well on the slope between two wells: a real grid minimum, less than one nat deep
        DoubleBinaryOperator u = mixture(new double[][] {{-0.8, 0, 0.49, 0.3}, {0.8, 0, 0.49, 0.3},
            {0.25, 0, 0.02, 0.06}});
        DensityGrid grid = new DensityGrid(2.0, 401);
        GridLandscape all = GridLandscape.of(grid, onGrid(grid, u), 0.0);
        assertEquals(3, all.basins().size());
        int tiny = all.basinAt(0.25, 0);
        double depth = all.tree().merges().stream().filter(m -> m.left() == tiny || m.right() == tiny)
                .mapToDouble(DisconnectivityTree.Merge::height).findFirst().orElseThrow();
        assertTrue(depth > 0 && depth < 1, "the small well is a shallow minimum: " + depth);
        GridLandscape deep = GridLandscape.of(grid, onGrid(grid, u), 1.0);
        assertEquals(3, deep.gridMinima());
        assertEquals(2, deep.basins().size());
        assertEquals(deep.basinAt(0.8, 0), deep.basinAt(0.25, 0), "its cells join the well it drains into");
        assertEquals(1, deep.tree().merges().size());
        assertEquals(all.tree().merges().get(all.tree().merges().size() - 1).level(),
                deep.tree().merges().get(0).level(), 1e-12, "the big wells still meet at the same saddle");
    }

    @Test
    void badInputIsRefused() {
        DensityGrid grid = new DensityGrid(1.0, 3);
        assertThrows(IllegalArgumentException.class, () -> GridLandscape.of(grid, new double[8], 0.0));
        assertThrows(IllegalArgumentException.class, () -> GridLandscape.of(grid, new double[9], -1.0));
        double[] nan = new double[9];
        nan[4] = Double.NaN;
        assertThrows(IllegalArgumentException.class, () -> GridLandscape.of(grid, nan, 0.0));
    }
}
