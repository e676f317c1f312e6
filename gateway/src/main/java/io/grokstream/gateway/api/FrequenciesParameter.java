package io.grokstream.gateway.api;

import io.grokstream.contracts.TaskDefined;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code frequencies} query parameter of the retrospective measures: required, comma-separated distinct
 * integers, each a key frequency of the task's residues mod p, in 1..(p-1)/2 (at most {@value #MAX_FREQUENCY} when
 * the task has no residues), at most {@value #MAX_COUNT} of them. Anything else is a 400 naming {@value #FIELD}.
 */
public final class FrequenciesParameter {
    public static final String FIELD = "frequencies";
    /** Most key frequencies in one request. */
    public static final int MAX_COUNT = 64;
    /** Upper bound when the task names no modulus (the analysis service's own bound). */
    public static final int MAX_FREQUENCY = 10_000;

    private FrequenciesParameter() {
    }

    /** The frequencies in the order given; {@code residues} null when the task has none (or is not known). */
    public static List<Integer> parse(String raw, TaskDefined.Residues residues) {
        if (raw == null || raw.isBlank()) {
            throw ApiException.badRequest(FIELD, "frequencies is required: the key frequencies, comma-separated "
                    + "(e.g. 14,35,41)");
        }
        int max = residues == null ? MAX_FREQUENCY : (residues.p() - 1) / 2;
        String[] parts = raw.split(",", -1);
        if (parts.length > MAX_COUNT) {
            throw ApiException.badRequest(FIELD, "at most " + MAX_COUNT + " frequencies, got " + parts.length);
        }
        List<Integer> frequencies = new ArrayList<>();
        for (String part : parts) {
            int k;
            try {
                k = Integer.parseInt(part.trim());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest(FIELD, "frequencies must be comma-separated integers, got '"
                        + part.trim() + "'");
            }
            if (k < 1 || k > max) {
                throw ApiException.badRequest(FIELD, "each frequency must be in [1, " + max + "]"
                        + (residues == null ? "" : " (the task's residues mod " + residues.p() + ")") + ", got " + k);
            }
            if (frequencies.contains(k)) {
                throw ApiException.badRequest(FIELD, "frequencies must be distinct, got " + k + " twice");
            }
            frequencies.add(k);
        }
        return frequencies;
    }
}
