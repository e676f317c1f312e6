package io.grokstream.contracts;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which optimizer a run steps with, and so what weight decay means.
 * <ul>
 *   <li>{@link #ADAMW}: decoupled weight decay, {@code w <- w (1 - lr wd)} beside the Adam update (Loshchilov and
 *       Hutter 2019; PyTorch's {@code torch.optim.AdamW}); Nanda et al.'s optimizer.</li>
 *   <li>{@link #ADAM}: plain Adam, weight decay as an L2 term added to the gradient, {@code g <- g + wd w}, before
 *       the moments (PyTorch's {@code torch.optim.Adam}); the default of Lee et al.'s GrokFast {@code main.py},
 *       whose filters act on the gradient first, so the L2 term is never amplified.</li>
 * </ul>
 */
public enum OptimizerKind {
    ADAMW("adamw"),
    ADAM("adam");

    private final String wire;

    OptimizerKind(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    /** The kind named {@code name} (case-insensitive); null for null. */
    @JsonCreator
    public static OptimizerKind of(String name) {
        if (name == null) {
            return null;
        }
        return Arrays.stream(values()).filter(k -> k.wire.equals(name.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("optimizer.kind must be one of "
                        + Arrays.toString(wires()) + ", got " + name));
    }

    public static String[] wires() {
        return Arrays.stream(values()).map(OptimizerKind::wire).toArray(String[]::new);
    }
}
