package io.grokstream.dataset.generate;

import io.grokstream.contracts.NandaPreset;
import io.grokstream.contracts.SequenceLayout;
import io.grokstream.contracts.TaskDefined;

import java.util.List;

/**
 * Modular arithmetic (Power et al. 2022; Nanda et al. 2023): every pair {@code (x, y)} of residues mod a prime p
 * ({@code y != 0} for division), label {@code f(x, y) mod p}. Rows are ordered x-major, then y; Nanda's default
 * is addition, p = 113, train fraction 0.3, seed 598.
 */
public final class ModularArithmetic implements TaskKind {
    public static final String NAME = "modular";
    public static final List<String> OPERATIONS = List.of("add", "subtract", "multiply", "divide", "quadratic");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "x op y mod p for op in add, subtract, multiply, divide (y != 0, via the modular inverse), "
                + "quadratic (x^2 + xy + y^2); layout nanda: tokens 'x y =', vocabulary p + 1; layout grokfast "
                + "(Lee et al.): tokens 'x ∘ y =', vocabulary p + 2, y != 0";
    }

    @Override
    public List<ParameterDef> parameters() {
        return CommonParameters.with(
                ParameterDef.choice("operation", NandaPreset.OPERATION, OPERATIONS, "the function of (x, y) taken mod p"),
                ParameterDef.integer("p", NandaPreset.P, 2, Integer.MAX_VALUE,
                        "the prime modulus (at most the service's max p)"),
                ParameterDef.choice("layout", SequenceLayout.NANDA.wire(), SequenceLayout.wires(),
                        "nanda: 'x y =' over every pair; grokfast: 'x ∘ y =' with y != 0 (Lee et al. 2024)"));
    }

    @Override
    public String label(Params params) {
        SequenceLayout layout = SequenceLayout.of(params.string("layout"));
        return NAME + "-" + params.string("operation") + "-p" + params.intValue("p")
                + (layout == SequenceLayout.NANDA ? "" : "-" + layout.wire());
    }

    @Override
    public GeneratedTask generate(Params params, Limits limits) {
        int p = params.intValue("p");
        limits.checkPrimeModulus("parameters.p", p);
        String op = params.string("operation");
        SequenceLayout layout = SequenceLayout.of(params.string("layout"));
        int firstY = op.equals("divide") ? 1 : layout.firstY();
        limits.checkRows("parameters.p", (long) p * (p - firstY));
        int rows = p * (p - firstY);
        int[][] inputs = new int[rows][];
        int[][] labels = new int[rows][];
        int r = 0;
        for (int x = 0; x < p; x++) {
            for (int y = firstY; y < p; y++) {
                inputs[r] = ResidueLayout.row(x, y, p, layout);
                labels[r] = new int[]{apply(op, x, y, p)};
                r++;
            }
        }
        TaskDefined.Target target = new TaskDefined.Target("result", layout.answerPosition(), p, "result", 1.0);
        return new GeneratedTask(ResidueLayout.vocabulary(p, layout), layout.seqLen(), List.of(target),
                ResidueLayout.residues(p, layout), new TaskDefined.TaskData(inputs, labels, CommonParameters.split(params, rows)));
    }

    /** {@code f(x, y) mod p}; all products fit a long since p < 2^31. */
    static int apply(String op, long x, long y, int p) {
        long v = switch (op) {
            case "add" -> x + y;
            case "subtract" -> x - y;
            case "multiply" -> x * y;
            case "divide" -> x * NumberTheory.modInverse((int) y, p);
            case "quadratic" -> (x * x % p) + (x * y % p) + (y * y % p);
            default -> throw new IllegalArgumentException("unknown operation " + op);
        };
        return (int) Math.floorMod(v, (long) p);
    }
}
