package io.grokstream.contracts;

import java.util.ArrayList;
import java.util.List;

/**
 * Which frequencies the neurons of a network use, Nanda et al.'s way (2023, Section 5.1): a neuron belongs to the
 * cluster of its best frequency when that frequency explains more than {@link #EXPLAINED} of its variance, and a
 * frequency is key when its cluster holds at least {@code max(MIN_CLUSTER_NEURONS, ceil(MIN_CLUSTER_SHARE * d_mlp))}
 * neurons (grokstream's reading of their cluster plot). The analysis service measures the clusters
 * ({@code neuron_cluster_sizes}); the retrospective progress measures take the final network's key frequencies by
 * this rule, so the live detector can be held to them.
 */
public final class NeuronKeyRule {
    public static final double EXPLAINED = 0.85;
    public static final double MIN_CLUSTER_SHARE = 0.02;
    public static final int MIN_CLUSTER_NEURONS = 2;

    private NeuronKeyRule() {
    }

    /** The smallest cluster that makes a frequency key in an MLP of {@code dMlp} neurons. */
    public static int minCluster(int dMlp) {
        return Math.max(MIN_CLUSTER_NEURONS, (int) Math.ceil(MIN_CLUSTER_SHARE * dMlp));
    }

    /** The key frequencies, ascending, from the cluster sizes (index k: neurons of frequency k; index 0 unused). */
    public static List<Integer> keys(double[] clusterSizes, int dMlp) {
        List<Integer> keys = new ArrayList<>();
        for (int k = 1; k < clusterSizes.length; k++) {
            if (clusterSizes[k] >= minCluster(dMlp)) {
                keys.add(k);
            }
        }
        return List.copyOf(keys);
    }
}
