package io.grokstream.gateway.intervene;

import io.grokstream.gateway.intervene.InterventionResult.Score;

/**
 * Per-row cross-entropy and correctness of one target over the task's rows, filled chunk by chunk, summarised over all
 * rows, the training rows and the rest (validation).
 */
final class Scores {
    private final double[] loss;
    private final boolean[] correct;

    Scores(int rows) {
        loss = new double[rows];
        correct = new boolean[rows];
    }

    /** Scores {@code row} from its logits (log-sum-exp in double precision). */
    void add(int row, double[] logits, int label) {
        double max = Double.NEGATIVE_INFINITY;
        int arg = 0;
        for (int c = 0; c < logits.length; c++) {
            if (logits[c] > max) {
                max = logits[c];
                arg = c;
            }
        }
        double sum = 0;
        for (double l : logits) {
            sum += Math.exp(l - max);
        }
        loss[row] = max + Math.log(sum) - logits[label];
        correct[row] = arg == label;
    }

    boolean correct(int row) {
        return correct[row];
    }

    Score summary(boolean[] train) {
        double[] all = new double[2], tr = new double[2], va = new double[2];
        int nTrain = 0, nVal = 0;
        for (int r = 0; r < loss.length; r++) {
            double[] into = train[r] ? tr : va;
            into[0] += loss[r];
            into[1] += correct[r] ? 1 : 0;
            all[0] += loss[r];
            all[1] += correct[r] ? 1 : 0;
            if (train[r]) {
                nTrain++;
            } else {
                nVal++;
            }
        }
        int n = loss.length;
        return new Score(all[0] / n, all[1] / n, nTrain == 0 ? null : tr[0] / nTrain, nTrain == 0 ? null : tr[1] / nTrain,
                nVal == 0 ? null : va[0] / nVal, nVal == 0 ? null : va[1] / nVal);
    }
}
