package io.grokstream.contracts;

import java.util.Arrays;
import java.util.Optional;

/**
 * The names of the progress measures in {@link ProgressMeasured}, in one place: the analysis service writes them,
 * the gateway serves this list to the dashboard ({@code GET /api/vocabulary}), and the studies read them. A family
 * ({@link #family()}) is a prefix followed by a member: a target ({@code test_accuracy.q2}), a weight matrix
 * ({@code sv.W_E}), a parameter, a head or a neuron.
 *
 * <p>The Fourier measures are Nanda et al. (2023)'s (Sections 4-5): the restricted loss keeps only the key
 * frequencies' directions of the logits, the excluded loss removes them from the training logits, the Gini
 * coefficients measure how sparse the embedding and unembedding are in the Fourier basis. The per-target families
 * ({@code restricted_loss.<t>}, {@code key_frequencies.<t>}, ...) of a task with several targets read each target's
 * logits over the (x, y) grid in the 2-D Fourier basis (the analysis service's {@code GridFourier}), since a target
 * such as {@code (x0 + x1 p) mod q} is no function of {@code x + y}.
 */
public enum Measure {
    TRAIN_LOSS("train_loss", Shape.SCALAR, false, "cross-entropy on the training rows"),
    TEST_LOSS("test_loss", Shape.SCALAR, false, "cross-entropy on the validation rows"),
    TRAIN_ACCURACY("train_accuracy", Shape.SCALAR, false, "accuracy on the training rows"),
    TEST_ACCURACY("test_accuracy", Shape.SCALAR, false, "accuracy on the validation rows"),
    TEST_LOSS_OF("test_loss.", Shape.SCALAR, true, "validation cross-entropy of one target"),
    TEST_ACCURACY_OF("test_accuracy.", Shape.SCALAR, true, "validation accuracy of one target"),
    TRAIN_LOSS_OF("train_loss.", Shape.SCALAR, true, "training cross-entropy of one target"),
    TRAIN_ACCURACY_OF("train_accuracy.", Shape.SCALAR, true, "training accuracy of one target"),
    LOGIT_FREQUENCY_NORMS_OF("logit_frequency_norms.", Shape.SPECTRUM, true,
            "norm of one target's centred logits over the (x, y) grid at each frequency k (2-D Fourier, k = 0..(p-1)/2)"),
    KEY_FREQUENCIES_OF("key_frequencies.", Shape.SPECTRUM, true,
            "the key frequencies of one target's logits over the (x, y) grid, ascending"),
    KEY_FREQUENCY_COUNT_OF("key_frequency_count.", Shape.SCALAR, true,
            "how many key frequencies one target's logits use"),
    RESTRICTED_LOSS_OF("restricted_loss.", Shape.SCALAR, true,
            "one target's loss over every input with only its key frequencies' 2-D Fourier components of the logits"),
    EXCLUDED_LOSS_OF("excluded_loss.", Shape.SCALAR, true,
            "one target's training loss with its key frequencies' 2-D Fourier components removed from the logits"),
    FULL_LOSS("full_loss", Shape.SCALAR, false, "cross-entropy over every input of the task"),
    WEIGHT_SQ_TOTAL("weight_sq_total", Shape.SCALAR, false, "sum of squared weights"),
    WEIGHT_SQ_OF("weight_sq.", Shape.SCALAR, true, "sum of squares of one parameter"),
    SINGULAR_VALUES_OF("sv.", Shape.SPECTRUM, true, "singular values of one weight matrix"),
    EFFECTIVE_RANK_OF("erank.", Shape.SCALAR, true, "effective rank of one weight matrix"),
    OV_COPYING_OF("ov_copying.", Shape.SCALAR, true, "how much one head's OV circuit copies its token"),
    POS_CORRELATION("pos_embed_correlation", Shape.GRID, false, "correlation between positional embeddings"),
    POS_CORR_XY("pos_corr_xy", Shape.SCALAR, false, "correlation of the two operands' positional embeddings"),
    ATTENTION_LAST("attention_last_position", Shape.GRID, false, "attention from the last position, per head"),
    FOURIER_APPLICABLE("fourier_applicable", Shape.SCALAR, false, "1 when the task is a residue task"),
    EMBED_FOURIER_NORMS("embed_fourier_norms", Shape.SPECTRUM, false,
            "norm of the embedding along each Fourier component (constant, cos k, sin k)"),
    EMBED_FREQUENCY_NORMS("embed_frequency_norms", Shape.SPECTRUM, false,
            "norm of the embedding at each frequency k"),
    UNEMBED_FOURIER_NORMS("unembed_fourier_norms", Shape.SPECTRUM, false,
            "norm of the unembedding along each Fourier component"),
    GINI_EMBED("gini_embed", Shape.SCALAR, false, "Gini coefficient of the embedding's Fourier norms"),
    GINI_UNEMBED("gini_unembed", Shape.SCALAR, false, "Gini coefficient of the unembedding's Fourier norms"),
    NEURON_EXPLAINED_FRACTION("neuron_explained_fraction", Shape.SPECTRUM, false,
            "share of each neuron's variance its best frequency explains"),
    NEURON_FREQUENCY("neuron_frequency", Shape.SPECTRUM, false, "each neuron's best frequency"),
    NEURON_CLUSTER_SIZES("neuron_cluster_sizes", Shape.SPECTRUM, false, "neurons per frequency"),
    NEURON_ACTIVE_COUNTS("neuron_active_frequency_counts", Shape.SPECTRUM, false,
            "frequencies each neuron is active at"),
    KEY_FREQUENCY_COUNT("key_frequency_count", Shape.SCALAR, false,
            "how many live key frequencies the restricted loss keeps (the neurons' and the embedding's)"),
    NEURON_KEY_FREQUENCY_COUNT("neuron_key_frequency_count", Shape.SCALAR, false,
            "how many key frequencies the neurons use (one frequency explaining 85% of a neuron)"),
    EMBED_KEY_FREQUENCY_COUNT("embed_key_frequency_count", Shape.SCALAR, false,
            "how many frequencies the embedding singles out (3x the uniform share of its Fourier norm)"),
    EXPLAINED_NEURON_SHARE("explained_neuron_share", Shape.SCALAR, false,
            "share of neurons one frequency explains"),
    OMEGA("omega", Shape.SCALAR, false, "distinct frequencies the neurons use"),
    OMEGA_MEAN_ACTIVE("omega_mean_active_per_neuron", Shape.SCALAR, false,
            "mean number of frequencies a neuron is active at"),
    RESTRICTED_LOSS("restricted_loss", Shape.SCALAR, false,
            "training loss with only the key frequencies' directions of the logits"),
    EXCLUDED_LOSS("excluded_loss", Shape.SCALAR, false,
            "training loss with the key frequencies' directions removed from the logits"),
    RESTRICTED_PER_FREQUENCY("restricted_loss_per_key_frequency", Shape.SPECTRUM, false,
            "restricted loss keeping one key frequency at a time"),
    EXCLUDED_PER_FREQUENCY("excluded_loss_per_key_frequency", Shape.SPECTRUM, false,
            "excluded loss removing one key frequency at a time"),
    NEURON_ACTIVATION_OF("neuron_activation.", Shape.GRID, true, "one neuron's activation over the (x, y) grid");

    /** Where a measure sits in {@link ProgressMeasured}: {@code scalars}, {@code spectra} or {@code grids}. */
    public enum Shape { SCALAR, SPECTRUM, GRID }

    private final String wire;
    private final Shape shape;
    private final boolean family;
    private final String meaning;

    Measure(String wire, Shape shape, boolean family, String meaning) {
        this.wire = wire;
        this.shape = shape;
        this.family = family;
        this.meaning = meaning;
    }

    /** The name on the wire; a family's prefix, ending in a dot. */
    public String wire() {
        return wire;
    }

    public Shape shape() {
        return shape;
    }

    /** Whether the name is a prefix followed by a member (a target, a matrix, a parameter, a head, a neuron). */
    public boolean family() {
        return family;
    }

    /** What the measure is, in a few words (the dashboard's tooltip). */
    public String meaning() {
        return meaning;
    }

    /**
     * The name of one member of a family: {@code TEST_ACCURACY_OF.member("q2")} is {@code test_accuracy.q2}.
     *
     * @throws IllegalStateException    when this measure is not a family
     * @throws IllegalArgumentException when the member is blank
     */
    public String member(Object member) {
        if (!family) {
            throw new IllegalStateException(wire + " is a single measure, not a family");
        }
        String m = String.valueOf(member);
        if (m.isBlank()) {
            throw new IllegalArgumentException("a member of " + wire + " must not be blank");
        }
        return wire + m;
    }

    /** Whether a wire name is this measure, or a member of this family. */
    public boolean names(String name) {
        return family ? name.startsWith(wire) && name.length() > wire.length() : name.equals(wire);
    }

    /** The measure a wire name is, or belongs to; empty for a name this version does not know. */
    public static Optional<Measure> named(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(m -> m.names(name)).findFirst();
    }
}
