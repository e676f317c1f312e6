package io.grokstream.dataset.generate;

import io.grokstream.contracts.TaskDefined;

import java.util.List;

/**
 * Exponentiated modular addition {@code (x^a + y^b) mod p} (Patel et al.): whether it groks depends on how
 * evenly the residues spread, e.g. {@code x -> x^7} is 7-to-1 on the units mod 113 (7 divides 112) but a
 * bijection mod 101. Powers by square-and-multiply, so no intermediate overflows.
 */
public final class ExponentiatedAddition implements TaskKind {
    public static final String NAME = "exponent";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "(x^a + y^b) mod p with a, b in 1..9; tokens 'x y =', vocabulary p + 1";
    }

    @Override
    public List<ParameterDef> parameters() {
        return CommonParameters.with(
                ParameterDef.integer("a", 1, 1, 9, "exponent of x, 1..9"),
                ParameterDef.integer("b", 1, 1, 9, "exponent of y, 1..9"),
                ParameterDef.integer("p", 113, 2, Integer.MAX_VALUE, "the prime modulus (at most the service's max p)"));
    }

    @Override
    public String label(Params params) {
        return NAME + "-a" + params.intValue("a") + "-b" + params.intValue("b") + "-p" + params.intValue("p");
    }

    @Override
    public GeneratedTask generate(Params params, Limits limits) {
        int p = params.intValue("p");
        limits.checkPrimeModulus("parameters.p", p);
        limits.checkRows("parameters.p", (long) p * p);
        int a = params.intValue("a");
        int b = params.intValue("b");
        long[] xa = new long[p];
        long[] yb = new long[p];
        for (int v = 0; v < p; v++) {
            xa[v] = NumberTheory.modPow(v, a, p);
            yb[v] = NumberTheory.modPow(v, b, p);
        }
        int rows = p * p;
        int[][] inputs = new int[rows][];
        int[][] labels = new int[rows][];
        for (int x = 0, r = 0; x < p; x++) {
            for (int y = 0; y < p; y++, r++) {
                inputs[r] = ResidueLayout.row(x, y, p);
                labels[r] = new int[]{(int) ((xa[x] + yb[y]) % p)};
            }
        }
        TaskDefined.Target target = new TaskDefined.Target("result", ResidueLayout.ANSWER_POSITION, p, "result", 1.0);
        return new GeneratedTask(ResidueLayout.vocabulary(p), ResidueLayout.SEQ_LEN, List.of(target),
                ResidueLayout.residues(p), new TaskDefined.TaskData(inputs, labels, CommonParameters.split(params, rows)));
    }
}
