package io.grokstream.contracts;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a modular-arithmetic task writes a pair (x, y) as tokens (the dataset service's {@code layout} parameter).
 * <ul>
 *   <li>{@link #NANDA}: {@code x y =}, token ids 0..p-1 for residues and p for '=', vocabulary p + 1, every pair
 *       (Nanda et al. 2023, Section 3);</li>
 *   <li>{@link #GROKFAST}: {@code x ∘ y =}, '=' is p and '∘' is p + 1 (vocabulary p + 2), and y ranges over
 *       1..p-1 only, as Lee et al.'s {@code multiplication_mod_p_data} (GrokFast {@code main.py}) builds it.</li>
 * </ul>
 */
public enum SequenceLayout {
    NANDA("nanda", 3, 2),
    GROKFAST("grokfast", 4, 3);

    private final String wire;
    private final int seqLen;
    private final int answerPosition;

    SequenceLayout(String wire, int seqLen, int answerPosition) {
        this.wire = wire;
        this.seqLen = seqLen;
        this.answerPosition = answerPosition;
    }

    public String wire() {
        return wire;
    }

    public int seqLen() {
        return seqLen;
    }

    /** The '=' position, where the answer is read. */
    public int answerPosition() {
        return answerPosition;
    }

    /** The position of y (x is always at 0). */
    public int yPosition() {
        return this == NANDA ? 1 : 2;
    }

    /** The smallest y of the task: 1 when y = 0 is left out. */
    public int firstY() {
        return this == NANDA ? 0 : 1;
    }

    public static SequenceLayout of(String name) {
        return Arrays.stream(values()).filter(l -> l.wire.equals(String.valueOf(name).toLowerCase(Locale.ROOT)))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("layout must be one of "
                        + wires() + ", got " + name));
    }

    public static java.util.List<String> wires() {
        return Arrays.stream(values()).map(SequenceLayout::wire).toList();
    }
}
