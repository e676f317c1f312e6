package io.grokstream.dataset.generate;

import io.grokstream.contracts.SequenceLayout;
import io.grokstream.contracts.TaskDefined;

import java.util.ArrayList;
import java.util.List;

/**
 * Nanda et al.'s sequence layout for two residues mod p: tokens {@code x y =}, token ids 0..p-1 for the residues
 * and {@code p} for '=', so a vocabulary of p + 1; the answer is read at the '=' position (2).
 */
public final class ResidueLayout {
    public static final int SEQ_LEN = 3;
    public static final int ANSWER_POSITION = 2;

    private ResidueLayout() {
    }

    public static List<String> vocabulary(int p) {
        List<String> vocabulary = new ArrayList<>(p + 1);
        for (int i = 0; i < p; i++) {
            vocabulary.add(Integer.toString(i));
        }
        vocabulary.add("=");
        return List.copyOf(vocabulary);
    }

    public static int[] row(int x, int y, int p) {
        return new int[]{x, y, p};
    }

    public static TaskDefined.Residues residues(int p) {
        return new TaskDefined.Residues(p, 0, 1);
    }

    /** The vocabulary of {@code layout}: Nanda's, plus '∘' (id p + 1) for {@link SequenceLayout#GROKFAST}. */
    public static List<String> vocabulary(int p, SequenceLayout layout) {
        if (layout == SequenceLayout.NANDA) {
            return vocabulary(p);
        }
        List<String> v = new ArrayList<>(vocabulary(p));
        v.add("∘");
        return List.copyOf(v);
    }

    /** The tokens of (x, y) in {@code layout}: {@code x y =} or {@code x ∘ y =}. */
    public static int[] row(int x, int y, int p, SequenceLayout layout) {
        return layout == SequenceLayout.NANDA ? row(x, y, p) : new int[]{x, p + 1, y, p};
    }

    /** Where x and y sit in {@code layout}. */
    public static TaskDefined.Residues residues(int p, SequenceLayout layout) {
        return new TaskDefined.Residues(p, 0, layout.yPosition());
    }
}
