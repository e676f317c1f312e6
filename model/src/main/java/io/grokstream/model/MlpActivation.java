package io.grokstream.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;

/**
 * The MLP's nonlinearity. {@link #RELU} is Nanda et al.'s (2023, Section 3); {@link #GELU} is the exact,
 * erf-based GELU (Hendrycks and Gimpel 2016) of PyTorch's {@code nn.GELU()}, which Lee et al.'s GrokFast
 * {@code main.py} uses. Every forward pass (reference, DJL, ONNX, analysis) evaluates it through this one definition
 * or the engine's op of the same name, and the parity tests hold them together.
 */
public enum MlpActivation {
    RELU("relu"),
    GELU("gelu");

    private final String wire;

    MlpActivation(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** The activation named {@code name} (case-insensitive); null for null. */
    @JsonCreator
    public static MlpActivation of(String name) {
        if (name == null) {
            return null;
        }
        return Arrays.stream(values()).filter(a -> a.wire.equals(name.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("activation must be one of "
                        + Arrays.toString(Arrays.stream(values()).map(MlpActivation::wire).toArray()) + ", got " + name));
    }

    /** The activation of one pre-activation value, in float64. */
    public double apply(double x) {
        return switch (this) {
            case RELU -> Math.max(0.0, x);
            case GELU -> 0.5 * x * (1.0 + Erf.erf(x / Math.sqrt(2.0)));
        };
    }
}
