package io.grokstream.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which layers carry bias terms.
 * <ul>
 *   <li>{@link #MLP}: the MLP's {@code b_in}, {@code b_out} only, as in Nanda et al.'s model (2023, Section 3;
 *       TransformerLens' attention biases left out);</li>
 *   <li>{@link #ALL}: also attention biases {@code b_Q, b_K, b_V [heads, d_head]} and {@code b_O [d_model]}, as
 *       PyTorch's {@code nn.MultiheadAttention} (Lee et al.'s GrokFast {@code main.py});</li>
 *   <li>{@link #NONE}: no bias anywhere, LayerNorm offsets included (Patel et al. train with bias terms
 *       disabled).</li>
 * </ul>
 */
public enum Biases {
    MLP("mlp"),
    ALL("all"),
    NONE("none");

    private final String wire;

    Biases(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static Biases of(String name) {
        if (name == null) {
            return null;
        }
        return Arrays.stream(values()).filter(b -> b.wire.equals(name.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("biases must be one of "
                        + Arrays.toString(Arrays.stream(values()).map(Biases::wire).toArray()) + ", got " + name));
    }

    public boolean mlp() {
        return this != NONE;
    }

    public boolean attention() {
        return this == ALL;
    }

    public boolean layerNorm() {
        return this != NONE;
    }
}
