package io.grokstream.dataset.generate;

import io.grokstream.contracts.TaskDefined;

import java.util.ArrayList;
import java.util.List;

/**
 * Primality of every number in {@code [from, to)}: written as zero-padded digits in a base (one token per digit,
 * most significant first) or as one token per number, then '='; binary label (1 = prime) read at '='.
 * Primality by deterministic Miller-Rabin ({@link NumberTheory#isPrime}).
 */
public final class Primality implements TaskKind {
    public static final String NAME = "primality";
    public static final int MAX_NUMBER = 1_000_000_000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "is n prime, for every n in [from, to); n as digits in a base (encoding=digits) or as one token "
                + "(encoding=token), then '='; 2 classes (1 = prime)";
    }

    @Override
    public List<ParameterDef> parameters() {
        return CommonParameters.with(
                ParameterDef.integer("from", 0, 0, MAX_NUMBER - 1, "first number (inclusive)"),
                ParameterDef.integer("to", 10_000, 1, MAX_NUMBER, "end of the range (exclusive), > from"),
                ParameterDef.integer("base", 10, 2, 36, "base of the digits (encoding=digits), 2..36"),
                ParameterDef.choice("encoding", "digits", List.of("digits", "token"),
                        "digits: one token per digit; token: one token per number"));
    }

    @Override
    public String label(Params params) {
        return NAME + "-" + params.intValue("from") + "-" + params.intValue("to") + "-"
                + (params.string("encoding").equals("token") ? "token" : "b" + params.intValue("base"));
    }

    @Override
    public GeneratedTask generate(Params params, Limits limits) {
        int from = params.intValue("from");
        int to = params.intValue("to");
        if (to <= from) {
            throw new InvalidRequestException("parameters.to", "to must be greater than from=" + from + ", got " + to);
        }
        limits.checkRows("parameters.to", (long) to - from);
        int rows = to - from;
        boolean digits = params.string("encoding").equals("digits");
        int base = params.intValue("base");
        int width = digits ? NumberTheory.digitCount(to - 1L, base) : 1;
        List<String> vocabulary = new ArrayList<>();
        if (digits) {
            for (int d = 0; d < base; d++) {
                vocabulary.add(Character.toString(Character.forDigit(d, base)));
            }
        } else {
            for (int n = from; n < to; n++) {
                vocabulary.add(Integer.toString(n));
            }
        }
        vocabulary.add("=");
        int equals = vocabulary.size() - 1;
        int[][] inputs = new int[rows][];
        int[][] labels = new int[rows][];
        for (int r = 0; r < rows; r++) {
            int n = from + r;
            int[] row = new int[width + 1];
            if (digits) {
                NumberTheory.writeDigits(n, base, width, row, 0);
            } else {
                row[0] = r;
            }
            row[width] = equals;
            inputs[r] = row;
            labels[r] = new int[]{NumberTheory.isPrime(n) ? 1 : 0};
        }
        TaskDefined.Target target = new TaskDefined.Target("prime", width, 2, "prime", 1.0);
        return new GeneratedTask(vocabulary, width + 1, List.of(target), null,
                new TaskDefined.TaskData(inputs, labels, CommonParameters.split(params, rows)));
    }
}
