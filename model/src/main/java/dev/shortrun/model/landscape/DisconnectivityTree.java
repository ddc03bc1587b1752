package dev.shortrun.model.landscape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The disconnectivity graph of an energy landscape (Anatomy paper, Figure 9; Wales' disconnectivity graphs): basins
 * are leaves at their minimum energies, and two groups of basins join at the lowest energy at which a path between
 * them is known ("the lowest known barrier at which two basins merge"). Nodes {@code 0..n-1} are the basins, node
 * {@code n + k} is merge k; merges are in ascending level. Pairs never joined (no path known) stay in separate trees.
 *
 * @param minima the basins' minimum energies U
 * @param merges ascending in level
 */
public record DisconnectivityTree(double[] minima, List<Merge> merges) {
    /**
     * Node {@code node} joins the groups {@code left} and {@code right} (node ids) at energy {@code level}.
     *
     * @param lower the lower of the two groups' minimum energies; {@code higher} the other
     */
    public record Merge(int node, int left, int right, double level, double lower, double higher) {
        /** The barrier seen from the shallower group: how far its minimum lies below the merge. */
        public double height() {
            return level - higher;
        }
    }

    public DisconnectivityTree {
        minima = minima.clone();
        merges = List.copyOf(merges);
    }

    public int basins() {
        return minima.length;
    }

    /**
     * Single linkage on pairwise barriers: groups merge in ascending barrier order (Kruskal), so two basins meet at
     * the lowest level over all chains of known barriers between them (a path over a barrier b1 then one over b2
     * climbs max(b1, b2)). A merge never lies below either group's minimum.
     *
     * @param barrier symmetric; {@code +infinity} (or NaN) where no path is known; the diagonal is ignored
     */
    public static DisconnectivityTree singleLinkage(double[] minima, double[][] barrier) {
        Builder tree = new Builder(minima);
        for (int[] p : ascendingPairs(barrier)) {
            tree.join(p[0], p[1], barrier[p[0]][p[1]]);
        }
        return tree.build();
    }

    /**
     * The persistence simplification {@link GridLandscape} applies on a grid, on pairwise barriers: walking the pairs
     * in ascending barrier, when two groups join less than {@code minDepth} above the shallower group's minimum,
     * that group is absorbed into the deeper one (it is a dent in the deeper basin's slope, not a basin of its own).
     *
     * @return per basin: the basin it ends up in (itself when it stays a basin)
     */
    public static int[] absorbShallow(double[] minima, double[][] barrier, double minDepth) {
        int n = minima.length;
        int[] parent = new int[n];
        int[] eldest = new int[n]; // per root: the basin with the group's lowest minimum
        int[] absorbedInto = new int[n];
        for (int i = 0; i < n; i++) {
            parent[i] = i;
            eldest[i] = i;
            absorbedInto[i] = -1;
        }
        for (int[] p : ascendingPairs(barrier)) {
            int ra = root(parent, p[0]), rb = root(parent, p[1]);
            if (ra == rb) {
                continue;
            }
            int a = eldest[ra], b = eldest[rb];
            boolean aDeeper = minima[a] < minima[b] || (minima[a] == minima[b] && a < b);
            int elder = aDeeper ? a : b, younger = aDeeper ? b : a;
            if (barrier[p[0]][p[1]] - minima[younger] < minDepth) {
                absorbedInto[younger] = elder;
            }
            int keep = aDeeper ? ra : rb;
            parent[aDeeper ? rb : ra] = keep;
            eldest[keep] = elder;
        }
        int[] into = new int[n];
        for (int i = 0; i < n; i++) {
            int m = i;
            while (absorbedInto[m] >= 0) {
                m = absorbedInto[m];
            }
            into[i] = m;
        }
        return into;
    }

    /** The pairs with a known barrier, ascending (ties by index). */
    private static List<int[]> ascendingPairs(double[][] barrier) {
        int n = barrier.length;
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (Double.isFinite(barrier[i][j])) {
                    pairs.add(new int[] {i, j});
                }
            }
        }
        pairs.sort(Comparator.comparingDouble((int[] p) -> barrier[p[0]][p[1]]).thenComparingInt(p -> p[0])
                .thenComparingInt(p -> p[1]));
        return pairs;
    }

    /** The root of i in a union-find forest, halving the path on the way. */
    static int root(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /** Merges added one by one in ascending level (flooding on a grid adds them so). */
    static final class Builder {
        private final double[] minima;
        private final int[] parent; // union-find over basins
        private final int[] node; // per root: the tree node of its group
        private final double[] lowest; // per root: the group's minimum energy
        private final List<Merge> merges = new ArrayList<>();

        Builder(double[] minima) {
            this.minima = minima.clone();
            int n = minima.length;
            parent = new int[n];
            node = new int[n];
            lowest = minima.clone();
            for (int i = 0; i < n; i++) {
                parent[i] = i;
                node[i] = i;
            }
        }

        /** Joins the groups of basins a and b at {@code level} unless they are joined already. */
        void join(int a, int b, double level) {
            int ra = root(parent, a), rb = root(parent, b);
            if (ra == rb) {
                return;
            }
            double lo = Math.min(lowest[ra], lowest[rb]), hi = Math.max(lowest[ra], lowest[rb]);
            // a barrier estimate below a minimum is impossible for a path that starts there: clamp to the minimum
            double at = Math.max(level, hi);
            if (!merges.isEmpty() && at < merges.get(merges.size() - 1).level()) {
                throw new IllegalStateException("merges must come in ascending level");
            }
            int id = minima.length + merges.size();
            merges.add(new Merge(id, node[ra], node[rb], at, lo, hi));
            parent[rb] = ra;
            node[ra] = id;
            lowest[ra] = lo;
        }

        DisconnectivityTree build() {
            return new DisconnectivityTree(minima, merges);
        }
    }

    /** The level at which basins i and j are joined; {@code +infinity} when they never are. */
    public double barrier(int i, int j) {
        if (i == j) {
            return minima[i];
        }
        // replay the merges: owner[k] is the top node of basin k's group so far; the first merge that puts i and j
        // under one node is where they meet
        int[] owner = new int[minima.length];
        for (int k = 0; k < owner.length; k++) {
            owner[k] = k;
        }
        for (Merge m : merges) {
            for (int k = 0; k < owner.length; k++) {
                if (owner[k] == m.left() || owner[k] == m.right()) {
                    owner[k] = m.node();
                }
            }
            if (owner[i] == owner[j]) {
                return m.level();
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** Number of separate trees: 1 when every basin is connected to every other. */
    public int components() {
        return minima.length - merges.size();
    }

    /**
     * Basins in drawing order: each merge's lower group on the left, so the deepest basin comes first and the
     * tree's lines never cross; separate trees side by side, the one with the deepest minimum first.
     */
    public int[] leafOrder() {
        int n = minima.length;
        List<int[]> children = new ArrayList<>();
        for (Merge m : merges) {
            boolean leftLower = groupMinimum(m.left()) <= groupMinimum(m.right());
            children.add(leftLower ? new int[] {m.left(), m.right()} : new int[] {m.right(), m.left()});
        }
        boolean[] isChild = new boolean[n + merges.size()];
        for (int[] c : children) {
            isChild[c[0]] = true;
            isChild[c[1]] = true;
        }
        List<Integer> roots = new ArrayList<>();
        for (int k = 0; k < isChild.length; k++) {
            if (!isChild[k]) {
                roots.add(k);
            }
        }
        roots.sort(Comparator.comparingDouble(this::groupMinimum));
        int[] order = new int[n];
        int[] at = {0};
        for (int r : roots) {
            visit(r, children, order, at);
        }
        return order;
    }

    private void visit(int node, List<int[]> children, int[] order, int[] at) {
        if (node < minima.length) {
            order[at[0]++] = node;
            return;
        }
        int[] c = children.get(node - minima.length);
        visit(c[0], children, order, at);
        visit(c[1], children, order, at);
    }

    /** The lowest minimum in node {@code id}'s group. */
    public double groupMinimum(int id) {
        return id < minima.length ? minima[id] : merges.get(id - minima.length).lower();
    }

    /** The level of node {@code id}: a basin's minimum, or the merge's level. */
    public double level(int id) {
        return id < minima.length ? minima[id] : merges.get(id - minima.length).level();
    }

    /** The merges' heights above their shallower group (see {@link Merge#height()}), ascending. */
    public double[] heights() {
        double[] h = merges.stream().mapToDouble(Merge::height).toArray();
        Arrays.sort(h);
        return h;
    }
}
