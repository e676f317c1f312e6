package io.grokstream.dataset.generate;

import io.grokstream.contracts.TaskDefined;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Multi-task prime residues, "miiii" (Syrkis 2025): inputs {@code x0, x1} in [0, p) stand for the number
 * {@code n = x0 + x1 * p} in base p; one target per prime {@code q < p}, label {@code n mod q}, each its own
 * output group {@code q<q>} with q classes and loss weight {@code 1 / ln q} (so the many-class tasks do not
 * dominate the loss). Masked primes get no target at all. The shuffled-label control permutes each target's
 * label column independently (SplittableRandom(seed + 1), Fisher-Yates), which keeps every histogram and
 * destroys every input-label relation.
 */
public final class PrimeResidues implements TaskKind {
    public static final String NAME = "miiii";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "(x0 + x1 * p) mod q for every prime q < p, one output group per q; tokens 'x0 x1 =', vocabulary p + 1";
    }

    @Override
    public List<ParameterDef> parameters() {
        return CommonParameters.with(
                ParameterDef.integer("p", 113, 3, Integer.MAX_VALUE, "the prime base (at most the service's max p)"),
                ParameterDef.intList("mask", 2, Integer.MAX_VALUE, "primes q < p whose targets are left out, e.g. [2, 3, 5, 7]"),
                ParameterDef.bool("shuffleLabels", false, "control: permute each target's labels across rows"));
    }

    @Override
    public String label(Params params) {
        StringBuilder label = new StringBuilder(NAME + "-p" + params.intValue("p"));
        if (!params.intList("mask").isEmpty()) {
            label.append("-masked");
        }
        if (params.bool("shuffleLabels")) {
            label.append("-shuffled");
        }
        return label.toString();
    }

    @Override
    public GeneratedTask generate(Params params, Limits limits) {
        int p = params.intValue("p");
        limits.checkPrimeModulus("parameters.p", p);
        limits.checkRows("parameters.p", (long) p * p);
        List<Integer> mask = params.intList("mask");
        List<Integer> allPrimes = NumberTheory.primesBelow(p);
        for (int q : mask) {
            if (!allPrimes.contains(q)) {
                throw new InvalidRequestException("parameters.mask", "mask entries must be primes below p=" + p + ", got " + q);
            }
        }
        List<Integer> primes = allPrimes.stream().filter(q -> !mask.contains(q)).toList();
        if (primes.isEmpty()) {
            throw new InvalidRequestException("parameters.mask", "mask leaves no target");
        }
        List<TaskDefined.Target> targets = new ArrayList<>();
        for (int q : primes) {
            targets.add(new TaskDefined.Target("q" + q, ResidueLayout.ANSWER_POSITION, q, "q" + q, 1.0 / Math.log(q)));
        }
        int rows = p * p;
        int[][] inputs = new int[rows][];
        int[][] labels = new int[rows][primes.size()];
        for (int x1 = 0, r = 0; x1 < p; x1++) {
            for (int x0 = 0; x0 < p; x0++, r++) {
                inputs[r] = ResidueLayout.row(x0, x1, p);
                long n = x0 + (long) x1 * p;
                for (int t = 0; t < primes.size(); t++) {
                    labels[r][t] = (int) (n % primes.get(t));
                }
            }
        }
        if (params.bool("shuffleLabels")) {
            shuffleColumns(labels, params.intValue(CommonParameters.SEED) + 1L);
        }
        return new GeneratedTask(ResidueLayout.vocabulary(p), ResidueLayout.SEQ_LEN, targets,
                ResidueLayout.residues(p), new TaskDefined.TaskData(inputs, labels, CommonParameters.split(params, rows)));
    }

    private static void shuffleColumns(int[][] labels, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int targets = labels.length == 0 ? 0 : labels[0].length;
        for (int t = 0; t < targets; t++) {
            int[] order = Split.permutation(labels.length, random);
            int[] column = new int[labels.length];
            for (int r = 0; r < labels.length; r++) {
                column[r] = labels[order[r]][t];
            }
            for (int r = 0; r < labels.length; r++) {
                labels[r][t] = column[r];
            }
        }
    }
}
