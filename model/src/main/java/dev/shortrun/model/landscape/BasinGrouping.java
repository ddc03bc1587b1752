package dev.shortrun.model.landscape;

import ai.djl.ndarray.NDManager;
import dev.shortrun.model.torch.RandomTensors;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Groups metastable samples into basins of attraction as the Anatomy paper describes (Sec. 4.4): sorted from lowest
 * to highest energy, each sample joins an existing basin when an attraction-diffusion chain gets from the sample to
 * the basin's minimum, or from the minimum to the sample, at the grouping magnetization; among several such basins
 * it joins the one over the lowest barrier; when none is reached it starts a basin of its own, with itself as the
 * minimum (every earlier sample has a lower energy). A sample is tried against the basins whose minima are nearest
 * to it ({@code neighbours} of them): a chain is pulled along the straight line to its target, and a basin beyond
 * nearer ones is reached, if at all, over a path at least as high as through them (and the chains to far basins,
 * which nearly all fail, are most of the cost).
 *
 * <p>Samples are tested in waves of consecutive ones (all their chains in one batch) with the result of the
 * one-at-a-time order: when a sample of a wave starts a new basin, the samples after it in the wave are tested again
 * against that basin before they are settled.
 *
 * @param basinOfSample per sample: its basin
 * @param barrier       per sample: the lowest barrier found to its basin's minimum (its own U for a minimum)
 * @param minima        per basin: the sample that is its minimum, in order of discovery (ascending energy)
 */
record BasinGrouping(int[] basinOfSample, double[] barrier, List<Integer> minima) {

    static BasinGrouping run(MetastableSamples samples, AttractionDiffusion ad, LandscapeSettings settings,
                             NDManager manager, RandomTensors random, LandscapeMapping.Listener listener) {
        double[] u = samples.energies();
        int n = u.length;
        Deque<Integer> pending = new ArrayDeque<>();
        IntStream.range(0, n).boxed().sorted(Comparator.comparingDouble((Integer i) -> u[i]).thenComparingInt(i -> i))
                .forEach(pending::add);
        int[] basin = new int[n];
        double[] barrier = new double[n];
        List<BitSet> tested = new ArrayList<>(); // per sample: the basins tried
        for (int i = 0; i < n; i++) {
            tested.add(new BitSet());
        }
        Arrays.fill(basin, -1);
        Arrays.fill(barrier, Double.POSITIVE_INFINITY);
        List<Integer> minima = new ArrayList<>();
        int first = pending.poll();
        open(first, minima, basin, barrier, u);
        int settled = 1;
        report(listener, settled, n);
        while (!pending.isEmpty()) {
            int perSample = 2 * settings.trials() * Math.min(settings.neighbours(), minima.size());
            int size = Math.max(1, Math.min(pending.size(), settings.batch() / perSample));
            List<Integer> wave = new ArrayList<>();
            for (int k = 0; k < size; k++) {
                wave.add(pending.poll());
            }
            List<AttractionDiffusion.Job> jobs = new ArrayList<>();
            List<int[]> owner = new ArrayList<>(); // per job: {sample, basin}
            for (int s : wave) {
                for (int b : nearest(samples, s, minima, settings.neighbours())) {
                    if (tested.get(s).get(b)) {
                        continue;
                    }
                    tested.get(s).set(b);
                    int m = minima.get(b);
                    for (int t = 0; t < settings.trials(); t++) {
                        jobs.add(new AttractionDiffusion.Job(s, m, settings.magnetization()));
                        owner.add(new int[] {s, b});
                        jobs.add(new AttractionDiffusion.Job(m, s, settings.magnetization()));
                        owner.add(new int[] {s, b});
                    }
                }
            }
            List<AttractionDiffusion.Outcome> outcomes = ad.run(samples.states(), u, samples.exampleShape(), jobs,
                    manager, random, false, null);
            for (int j = 0; j < jobs.size(); j++) {
                AttractionDiffusion.Outcome o = outcomes.get(j);
                int s = owner.get(j)[0], b = owner.get(j)[1];
                if (o.arrived() && (o.barrier() < barrier[s] || (o.barrier() == barrier[s] && b < basin[s]))) {
                    barrier[s] = o.barrier();
                    basin[s] = b;
                }
            }
            List<Integer> again = new ArrayList<>();
            for (int s : wave) {
                if (!again.isEmpty()) {
                    again.add(s); // after a new basin in this wave: try that basin too before settling
                } else if (basin[s] >= 0) {
                    settled++;
                } else {
                    open(s, minima, basin, barrier, u);
                    settled++;
                    again.add(-1); // marks the new basin; the rest of the wave goes back to the front
                }
            }
            for (int k = again.size() - 1; k >= 1; k--) {
                pending.addFirst(again.get(k));
            }
            report(listener, settled, n);
        }
        return new BasinGrouping(basin, barrier, minima);
    }

    /**
     * The grouping after basins were absorbed into deeper ones ({@link DisconnectivityTree#absorbShallow}): the
     * basins that remain keep their order; a sample's barrier stays the one to the minimum it was grouped with.
     *
     * @param into per basin: the basin it ends up in
     * @return the new grouping and, per old basin, its new index
     */
    Merged merged(int[] into) {
        int[] index = new int[into.length];
        List<Integer> kept = new ArrayList<>();
        for (int b = 0; b < into.length; b++) {
            if (into[b] == b) {
                index[b] = kept.size();
                kept.add(minima.get(b));
            }
        }
        for (int b = 0; b < into.length; b++) {
            index[b] = index[into[b]];
        }
        int[] relabelled = new int[basinOfSample.length];
        for (int s = 0; s < relabelled.length; s++) {
            relabelled[s] = index[basinOfSample[s]];
        }
        return new Merged(new BasinGrouping(relabelled, barrier, kept), index);
    }

    /** A grouping after merging, and where each old basin went. */
    record Merged(BasinGrouping grouping, int[] index) {
    }

    /** The {@code k} basins whose minima are nearest to sample {@code s} (L2), nearest first. */
    private static List<Integer> nearest(MetastableSamples samples, int s, List<Integer> minima, int k) {
        float[] x = samples.states()[s];
        return IntStream.range(0, minima.size()).boxed()
                .sorted(Comparator.comparingDouble((Integer b) -> BarrierEstimates.distance(x,
                        samples.states()[minima.get(b)])).thenComparingInt(b -> b))
                .limit(k).toList();
    }

    private static void open(int sample, List<Integer> minima, int[] basin, double[] barrier, double[] u) {
        basin[sample] = minima.size();
        barrier[sample] = u[sample];
        minima.add(sample);
    }

    private static void report(LandscapeMapping.Listener listener, int settled, int n) {
        if (listener != null) {
            listener.update("basins", settled, n);
        }
    }
}
