package io.grokstream.dataset.generate;

import io.grokstream.contracts.NandaPreset;

import java.util.ArrayList;
import java.util.List;

/** The parameters every kind shares: the train fraction and the split seed (Nanda et al.'s defaults). */
public final class CommonParameters {
    public static final String TRAIN_FRACTION = "trainFraction";
    public static final String SEED = "seed";
    public static final double DEFAULT_TRAIN_FRACTION = NandaPreset.TRAIN_FRACTION;
    public static final int DEFAULT_SEED = NandaPreset.SPLIT_SEED;

    private CommonParameters() {
    }

    public static List<ParameterDef> with(ParameterDef... specific) {
        List<ParameterDef> all = new ArrayList<>(List.of(specific));
        all.add(ParameterDef.fraction(TRAIN_FRACTION, DEFAULT_TRAIN_FRACTION,
                "share of the rows used for training, in the open interval (0, 1); floor(fraction * rows) rows train"));
        all.add(ParameterDef.integer(SEED, DEFAULT_SEED, 0, Integer.MAX_VALUE,
                "seed of the split (SplittableRandom Fisher-Yates) and of any sampling, 0..2^31-1"));
        return List.copyOf(all);
    }

    public static int[] split(Params params, int rows) {
        return Split.trainRows(rows, params.fraction(TRAIN_FRACTION), params.intValue(SEED));
    }
}
