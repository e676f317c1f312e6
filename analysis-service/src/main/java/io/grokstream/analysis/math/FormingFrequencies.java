package io.grokstream.analysis.math;

import java.util.ArrayList;
import java.util.List;

/**
 * The key frequencies a snapshot's embedding singles out, while the circuit is still forming. Nanda et al. (2023,
 * Section 5.2 and Fig. 7) see the embedding grow sparse in the Fourier basis during circuit formation, before the
 * neurons are clean enough for a neuron rule (one frequency explaining 85% of a neuron) to name them: the neuron rule
 * alone names them only near the end of formation, so restricted loss measured live with it falls after the test
 * loss. This detector reads the embedding instead.
 *
 * <p>Rule: with {@code K = (p - 1) / 2} frequencies and {@code s_k} frequency k's share of the embedding's non-constant
 * squared Fourier norm, k is key when {@code s_k >= FACTOR / K}. At initialisation every share is near {@code 1 / K}
 * (a d_model-wide Gaussian row pair: at d_model 128 a share's relative spread is about sqrt(2 / 256) = 9%, so
 * three times the uniform share does not occur by chance), and after clean-up the few key frequencies hold nearly
 * all the norm, so the same rule names exactly them.
 */
public final class FormingFrequencies {
    /** How many times the uniform share a frequency needs. */
    public static final double FACTOR = 3.0;

    private FormingFrequencies() {
    }

    /**
     * @param frequencyNorms {@link FourierBasis#frequencyNorms}: index 0 the constant component, then k = 1..K
     * @return the key frequencies, ascending; empty for an all-zero embedding
     */
    public static List<Integer> of(double[] frequencyNorms) {
        if (frequencyNorms.length < 2) {
            throw new IllegalArgumentException("need the constant and at least one frequency, got "
                    + frequencyNorms.length + " norms");
        }
        int k = frequencyNorms.length - 1;
        double total = 0;
        for (int f = 1; f <= k; f++) {
            total += frequencyNorms[f] * frequencyNorms[f];
        }
        List<Integer> keys = new ArrayList<>();
        if (total == 0) {
            return keys;
        }
        for (int f = 1; f <= k; f++) {
            if (frequencyNorms[f] * frequencyNorms[f] / total >= FACTOR / k) {
                keys.add(f);
            }
        }
        return List.copyOf(keys);
    }
}
