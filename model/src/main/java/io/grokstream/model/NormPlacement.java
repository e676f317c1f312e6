package io.grokstream.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where a block's LayerNorms sit, when the model has them ({@link ModelConfig#layerNorm()}); the stream always ends
 * with {@code ln_final} before the unembedding.
 * <ul>
 *   <li>{@link #PRE}: pre-LayerNorm (TransformerLens, GPT-2): {@code resid += attn(LN1(resid))},
 *       {@code resid += mlp(LN2(resid))};</li>
 *   <li>{@link #PRE_NORMED_RESIDUAL}: Lee et al.'s GrokFast {@code main.py} ({@code Block.forward}:
 *       {@code x = self.ln_1(x); x = x + attn(x)}): the first LayerNorm's output replaces the residual stream
 *       before attention is added, {@code resid = LN1(resid) + attn(LN1(resid))}, then
 *       {@code resid += mlp(LN2(resid))}.</li>
 * </ul>
 */
public enum NormPlacement {
    PRE("pre"),
    PRE_NORMED_RESIDUAL("pre-normed-residual");

    private final String wire;

    NormPlacement(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static NormPlacement of(String name) {
        if (name == null) {
            return null;
        }
        return Arrays.stream(values()).filter(n -> n.wire.equals(name.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("normPlacement must be one of "
                        + Arrays.toString(Arrays.stream(values()).map(NormPlacement::wire).toArray()) + ", got " + name));
    }
}
