package dev.shortrun.model.landscape;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Single linkage on barrier estimates: merge order, the levels between any two basins, drawing order, forests. */
class DisconnectivityTreeTest {
    static final double INF = Double.POSITIVE_INFINITY;

    @Test
    void basinsMeetAtTheLowestChainOfBarriers() {
        // four basins on a line, a-b-c-d, barriers 3 (a-b), 5 (b-c), 2 (c-d); a-c measured too high (9)
        double[] minima = {0, 1, 0.5, 1.5};
        double[][] b = {{0, 3, 9, INF}, {3, 0, 5, INF}, {9, 5, 0, 2}, {INF, INF, 2, 0}};
        DisconnectivityTree tree = DisconnectivityTree.singleLinkage(minima, b);
        assertEquals(3, tree.merges().size());
        assertEquals(1, tree.components());
        assertArrayEquals(new double[] {2, 3, 5}, tree.merges().stream().mapToDouble(m -> m.level()).toArray());
        assertEquals(5, tree.barrier(0, 2), "a to c over b: max(3, 5) beats the direct 9");
        assertEquals(5, tree.barrier(0, 3));
        assertEquals(2, tree.barrier(2, 3));
        assertEquals(3, tree.barrier(1, 0));
        // heights above the shallower side: c-d at 2 above d's 1.5; a-b at 3 above b's 1; the groups at 5 above 0.5
        assertArrayEquals(new double[] {0.5, 2, 4.5}, tree.heights(), 1e-12);
        DisconnectivityTree.Merge last = tree.merges().get(2);
        assertEquals(0, last.lower());
        assertEquals(0.5, last.higher());
        assertEquals(6, last.node());
        // the deepest basin first, each merge's lower group on the left
        assertArrayEquals(new int[] {0, 1, 2, 3}, tree.leafOrder());
    }

    @Test
    void unknownBarriersLeaveSeparateTrees() {
        double[] minima = {2, 0, 1};
        double[][] b = {{0, 4, INF}, {4, 0, INF}, {INF, INF, 0}};
        DisconnectivityTree tree = DisconnectivityTree.singleLinkage(minima, b);
        assertEquals(2, tree.components());
        assertEquals(INF, tree.barrier(0, 2));
        assertEquals(4, tree.barrier(0, 1));
        int[] order = tree.leafOrder();
        assertEquals(3, order.length);
        assertArrayEquals(new int[] {1, 0, 2}, order, "the tree holding the deepest basin first: " + Arrays.toString(
                order));
    }

    @Test
    void aBarrierBelowAMinimumIsRaisedToIt() {
        // an estimate can only come from a path that starts at both minima, so it is never below either
        DisconnectivityTree tree = DisconnectivityTree.singleLinkage(new double[] {0, 3},
                new double[][] {{0, 2}, {2, 0}});
        assertEquals(3, tree.merges().get(0).level());
        assertEquals(0, tree.merges().get(0).height());
    }
}
