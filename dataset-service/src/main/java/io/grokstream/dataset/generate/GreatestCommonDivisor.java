package io.grokstream.dataset.generate;

import io.grokstream.contracts.TaskDefined;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * GCD of two numbers in [1, n) (Charton 2023, "Learning the greatest common divisor"): both written as
 * zero-padded base-{@code base} digits, then '='. Class {@code k} means gcd = k + 1; the last class
 * ({@code cap - 1}) gathers every gcd >= cap. Pairs are distinct and drawn either uniformly or with log-uniform
 * operands ({@code floor(n^u)}, u uniform in [0, 1), computed with {@code StrictMath} so every JVM agrees).
 * Distinctness is by rejection, so for small n the log-uniform rows are less concentrated on small operands than
 * {@code floor(n^u)} itself (repeats of small pairs are redrawn).
 */
public final class GreatestCommonDivisor implements TaskKind {
    public static final String NAME = "gcd";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "gcd(a, b) for distinct sampled pairs a, b in [1, n), digits in a base then '='; class k = gcd k+1, "
                + "the last class gathers gcd >= cap";
    }

    @Override
    public List<ParameterDef> parameters() {
        return CommonParameters.with(
                ParameterDef.integer("n", 1000, 3, 1_000_000_000, "operands are drawn from [1, n)"),
                ParameterDef.integer("base", 10, 2, 36, "base of the digits, 2..36"),
                ParameterDef.integer("cap", 20, 2, 1000, "number of classes; gcd >= cap shares the last class; <= n - 1"),
                ParameterDef.choice("sampling", "uniform", List.of("uniform", "loguniform"),
                        "uniform operands, or log-uniform operands floor(n^u)"),
                ParameterDef.integer("rows", 20_000, 2, Integer.MAX_VALUE, "number of distinct pairs (at most the service's max rows)"));
    }

    @Override
    public String label(Params params) {
        return NAME + "-n" + params.intValue("n") + "-b" + params.intValue("base");
    }

    @Override
    public GeneratedTask generate(Params params, Limits limits) {
        int n = params.intValue("n");
        int base = params.intValue("base");
        int cap = params.intValue("cap");
        int rows = params.intValue("rows");
        if (cap > n - 1) {
            throw new InvalidRequestException("parameters.cap", "cap must be at most n - 1 = " + (n - 1) + ", got " + cap);
        }
        limits.checkRows("parameters.rows", rows);
        long pairs = (long) (n - 1) * (n - 1);
        if (rows > pairs) {
            throw new InvalidRequestException("parameters.rows", "rows must be at most the " + pairs
                    + " distinct pairs below n=" + n + ", got " + rows);
        }
        boolean logUniform = params.string("sampling").equals("loguniform");
        double logN = StrictMath.log(n);
        List<int[]> drawn = DistinctSampler.draw(rows, DistinctSampler.samplingRandom(params.intValue(CommonParameters.SEED)),
                random -> new int[]{operand(random, n, logUniform, logN), operand(random, n, logUniform, logN)});
        int width = NumberTheory.digitCount(n - 1L, base);
        int equals = base;
        int[][] inputs = new int[rows][];
        int[][] labels = new int[rows][];
        for (int r = 0; r < rows; r++) {
            int a = drawn.get(r)[0];
            int b = drawn.get(r)[1];
            int[] row = new int[2 * width + 1];
            NumberTheory.writeDigits(a, base, width, row, 0);
            NumberTheory.writeDigits(b, base, width, row, width);
            row[2 * width] = equals;
            inputs[r] = row;
            labels[r] = new int[]{classOf(NumberTheory.gcd(a, b), cap)};
        }
        List<String> vocabulary = new ArrayList<>();
        for (int d = 0; d < base; d++) {
            vocabulary.add(Character.toString(Character.forDigit(d, base)));
        }
        vocabulary.add("=");
        TaskDefined.Target target = new TaskDefined.Target("gcd", 2 * width, cap, "gcd", 1.0);
        return new GeneratedTask(vocabulary, 2 * width + 1, List.of(target), null,
                new TaskDefined.TaskData(inputs, labels, CommonParameters.split(params, rows)));
    }

    /** Class of a gcd: {@code min(gcd, cap) - 1}. */
    static int classOf(long gcd, int cap) {
        return (int) Math.min(gcd, cap) - 1;
    }

    private static int operand(SplittableRandom random, int n, boolean logUniform, double logN) {
        if (!logUniform) {
            return 1 + random.nextInt(n - 1);
        }
        int x = (int) StrictMath.floor(StrictMath.exp(random.nextDouble() * logN));
        return Math.max(1, Math.min(n - 1, x));
    }
}
