package io.grokstream.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a fresh run draws its weights (the trainer's {@code Initializer} implements both).
 * <ul>
 *   <li>{@link #NANDA}: Nanda et al.'s grokking code: every matrix {@code randn / sqrt(d_model)}, the unembedding
 *       {@code randn / sqrt(d_vocab)}, biases zero, LayerNorm scales one;</li>
 *   <li>{@link #PYTORCH}: PyTorch's module defaults, as Lee et al.'s {@code main.py} gets them: embeddings
 *       {@code N(0, 1)}; attention Q, K, V Xavier-uniform over the packed {@code [3 d, d]} in-projection, W_O
 *       {@code U(±1/sqrt(d))}, attention biases zero; each {@code nn.Linear} weight and bias
 *       {@code U(±1/sqrt(fan_in))}; the unembedding {@code U(±1/sqrt(d))}; LayerNorm one and zero.</li>
 * </ul>
 */
public enum Initialization {
    NANDA("nanda"),
    PYTORCH("pytorch");

    private final String wire;

    Initialization(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static Initialization of(String name) {
        if (name == null) {
            return null;
        }
        return Arrays.stream(values()).filter(i -> i.wire.equals(name.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("initialization must be one of "
                        + Arrays.toString(Arrays.stream(values()).map(Initialization::wire).toArray()) + ", got " + name));
    }
}
