package dev.shortrun.model.landscape;

import ai.djl.ndarray.NDManager;
import dev.shortrun.model.torch.RandomTensors;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Barriers between basins: attraction-diffusion chains between basin minima, both ways, at the barrier
 * magnetization (stronger than the grouping one, which by construction could not join the basins). The barrier of a
 * pair is the lowest highest-U over the chains that arrived. Pairs no chain joined are tried again at
 * {@link #ROUND_FACTOR} times the magnetization, up to {@code barrier_rounds} rounds in all: a barrier is a property
 * of the path, not of the pull, and a stronger pull only keeps the path closer to the straight line (so the estimate
 * can only be higher than a weaker pull's). A pair still not joined has no known barrier. Only nearby pairs are
 * measured: each minimum with its nearest {@code neighbours} and the pairs of the shortest tree through all minima
 * (Euclidean distance), which keeps the cost linear in the basins while leaving every basin a route into the
 * disconnectivity tree.
 *
 * @param pairs   the measured pairs {i, j}, i < j (basin indices)
 * @param barrier per pair of basins: the estimate, +infinity when unknown (not measured or no chain arrived)
 * @param arrived per measured pair: how many of its chains arrived in the round that joined it
 * @param alpha   per measured pair: the magnetization of the round that joined it (NaN when none did)
 * @param tried   chains per measured pair and round
 * @param paths   per measured pair: the 2D path of the chain that gave the estimate (null for images, or none)
 * @param peaks   per measured pair: (x, y) of that path's highest point (null with the path)
 */
record BarrierEstimates(List<int[]> pairs, double[][] barrier, int[] arrived, double[] alpha, int tried,
                        List<float[]> paths, List<float[]> peaks) {
    /** Each round multiplies the magnetization of the pairs still apart by this. */
    static final double ROUND_FACTOR = 8;

    static BarrierEstimates run(MetastableSamples samples, List<Integer> minima, AttractionDiffusion ad,
                                LandscapeSettings settings, NDManager manager, RandomTensors random,
                                LandscapeMapping.Listener listener) {
        int b = minima.size();
        double[][] barrier = new double[b][b];
        for (double[] row : barrier) {
            Arrays.fill(row, Double.POSITIVE_INFINITY);
        }
        List<int[]> pairs = candidatePairs(samples, minima, settings.neighbours());
        int tried = 2 * settings.trials();
        int[] arrived = new int[pairs.size()];
        double[] alpha = new double[pairs.size()];
        Arrays.fill(alpha, Double.NaN);
        List<float[]> paths = new ArrayList<>(java.util.Collections.nCopies(pairs.size(), (float[]) null));
        List<float[]> peaks = new ArrayList<>(java.util.Collections.nCopies(pairs.size(), (float[]) null));
        List<Integer> open = new ArrayList<>();
        for (int k = 0; k < pairs.size(); k++) {
            open.add(k);
        }
        double magnetization = settings.barrierMagnetization();
        for (int round = 0; round < settings.barrierRounds() && !open.isEmpty(); round++) {
            List<AttractionDiffusion.Job> jobs = new ArrayList<>();
            for (int k : open) {
                int[] p = pairs.get(k);
                for (int t = 0; t < settings.trials(); t++) {
                    jobs.add(new AttractionDiffusion.Job(minima.get(p[0]), minima.get(p[1]), magnetization));
                    jobs.add(new AttractionDiffusion.Job(minima.get(p[1]), minima.get(p[0]), magnetization));
                }
            }
            String phase = round == 0 ? "barriers" : String.format(java.util.Locale.ROOT, "barriers, alpha %.4g",
                    magnetization);
            if (listener != null) {
                listener.update(phase, 0, jobs.size());
            }
            List<AttractionDiffusion.Outcome> outcomes = ad.run(samples.states(), samples.energies(),
                    samples.exampleShape(), jobs, manager, random, true,
                    listener == null ? null : done -> listener.update(phase, done, jobs.size()));
            List<Integer> still = new ArrayList<>();
            for (int o = 0; o < open.size(); o++) {
                int k = open.get(o);
                int i = pairs.get(k)[0], j = pairs.get(k)[1];
                AttractionDiffusion.Outcome best = null;
                for (int t = 0; t < tried; t++) {
                    AttractionDiffusion.Outcome c = outcomes.get(o * tried + t);
                    if (c.arrived()) {
                        arrived[k]++;
                        if (c.barrier() < barrier[i][j]) {
                            barrier[i][j] = c.barrier();
                            barrier[j][i] = c.barrier();
                            best = c;
                        }
                    }
                }
                if (best == null) {
                    still.add(k);
                    continue;
                }
                alpha[k] = magnetization;
                if (best.path() != null) {
                    paths.set(k, best.path());
                    peaks.set(k, peak(best.path(), best.peak()));
                }
            }
            open = still;
            magnetization *= ROUND_FACTOR;
        }
        return new BarrierEstimates(pairs, barrier, arrived, alpha, tried, paths, peaks);
    }

    /**
     * The estimates between merged basins ({@link BasinGrouping#merged}): per pair of new basins, the lowest of the
     * measured barriers between their old basins, with that measurement's round, counts and path.
     *
     * @param index per old basin: its new basin
     */
    BarrierEstimates merged(int[] index, int basins) {
        double[][] joined = new double[basins][basins];
        for (double[] row : joined) {
            Arrays.fill(row, Double.POSITIVE_INFINITY);
        }
        java.util.Map<Long, Integer> best = new java.util.TreeMap<>(); // new pair key -> old pair
        for (int k = 0; k < pairs.size(); k++) {
            int a = index[pairs.get(k)[0]], b = index[pairs.get(k)[1]];
            if (a == b) {
                continue;
            }
            long key = key(a, b, basins);
            double e = barrier[pairs.get(k)[0]][pairs.get(k)[1]];
            Integer held = best.get(key);
            if (held == null || e < barrier[pairs.get(held)[0]][pairs.get(held)[1]]) {
                best.put(key, k);
            }
        }
        List<int[]> newPairs = new ArrayList<>();
        int[] newArrived = new int[best.size()];
        double[] newAlpha = new double[best.size()];
        List<float[]> newPaths = new ArrayList<>();
        List<float[]> newPeaks = new ArrayList<>();
        for (java.util.Map.Entry<Long, Integer> e : best.entrySet()) {
            int k = e.getValue();
            int a = (int) (e.getKey() / basins), b = (int) (e.getKey() % basins);
            double value = barrier[pairs.get(k)[0]][pairs.get(k)[1]];
            joined[a][b] = value;
            joined[b][a] = value;
            newArrived[newPairs.size()] = arrived[k];
            newAlpha[newPairs.size()] = alpha[k];
            newPaths.add(paths.get(k));
            newPeaks.add(peaks.get(k));
            newPairs.add(new int[] {a, b});
        }
        return new BarrierEstimates(newPairs, joined, newArrived, newAlpha, tried, newPaths, newPeaks);
    }

    /** The path's point {@code index}; its end (next to the target) when the target's own U was the highest. */
    private static float[] peak(float[] path, int index) {
        int at = index >= 0 ? index : path.length / 2 - 1;
        return new float[] {path[2 * at], path[2 * at + 1]};
    }

    /** Each minimum with its nearest {@code k}, plus a minimum spanning tree (Prim) of the distances; i < j. */
    static List<int[]> candidatePairs(MetastableSamples samples, List<Integer> minima, int k) {
        int b = minima.size();
        double[][] d = new double[b][b];
        for (int i = 0; i < b; i++) {
            for (int j = i + 1; j < b; j++) {
                d[i][j] = distance(samples.states()[minima.get(i)], samples.states()[minima.get(j)]);
                d[j][i] = d[i][j];
            }
        }
        TreeSet<Long> chosen = new TreeSet<>();
        for (int i = 0; i < b; i++) {
            final int from = i;
            Integer[] others = java.util.stream.IntStream.range(0, b).filter(j -> j != from).boxed()
                    .sorted((x, y) -> Double.compare(d[from][x], d[from][y])).toArray(Integer[]::new);
            for (int r = 0; r < Math.min(k, others.length); r++) {
                chosen.add(key(i, others[r], b));
            }
        }
        boolean[] inTree = new boolean[b];
        double[] reach = new double[b];
        int[] via = new int[b];
        Arrays.fill(reach, Double.POSITIVE_INFINITY);
        if (b > 0) {
            reach[0] = 0;
            via[0] = -1;
        }
        for (int added = 0; added < b; added++) {
            int next = -1;
            for (int j = 0; j < b; j++) {
                if (!inTree[j] && (next < 0 || reach[j] < reach[next])) {
                    next = j;
                }
            }
            inTree[next] = true;
            if (via[next] >= 0) {
                chosen.add(key(next, via[next], b));
            }
            for (int j = 0; j < b; j++) {
                if (!inTree[j] && d[next][j] < reach[j]) {
                    reach[j] = d[next][j];
                    via[j] = next;
                }
            }
        }
        List<int[]> pairs = new ArrayList<>();
        for (long key : chosen) {
            pairs.add(new int[] {(int) (key / b), (int) (key % b)});
        }
        return pairs;
    }

    private static long key(int i, int j, int b) {
        return (long) Math.min(i, j) * b + Math.max(i, j);
    }

    static double distance(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }
}
