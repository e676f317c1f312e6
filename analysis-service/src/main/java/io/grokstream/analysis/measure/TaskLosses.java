package io.grokstream.analysis.measure;

import io.grokstream.analysis.forward.Activations;
import io.grokstream.analysis.math.CrossEntropy;
import io.grokstream.analysis.math.Dense;
import io.grokstream.contracts.TaskDefined;

import java.util.List;

import static io.grokstream.contracts.Measure.FULL_LOSS;
import static io.grokstream.contracts.Measure.TEST_ACCURACY;
import static io.grokstream.contracts.Measure.TEST_ACCURACY_OF;
import static io.grokstream.contracts.Measure.TEST_LOSS;
import static io.grokstream.contracts.Measure.TEST_LOSS_OF;
import static io.grokstream.contracts.Measure.TRAIN_ACCURACY;
import static io.grokstream.contracts.Measure.TRAIN_ACCURACY_OF;
import static io.grokstream.contracts.Measure.TRAIN_LOSS;
import static io.grokstream.contracts.Measure.TRAIN_LOSS_OF;

/**
 * One target's loss and accuracy over the training and the test rows (the analyser computes the targets on its pool,
 * each a part), and the task's: each the mean over the targets, added in the targets' order.
 *
 * @param full the loss over every row
 */
record TaskLosses(double full, double trainLoss, double testLoss, double trainAccuracy, double testAccuracy) {

    /** Target {@code t}'s; {@code test} the rows not in training ({@link #complement}). */
    static TaskLosses of(TaskDefined task, int t, Activations acts, int[] test) {
        int[] train = task.data().trainRows();
        Dense logits = acts.logits().get(task.targets().get(t).name());
        int[] labels = labelsOf(task, t);
        double[] perRow = CrossEntropy.perRow(logits, labels);
        boolean[] hits = CrossEntropy.hits(logits, labels);
        return new TaskLosses(CrossEntropy.meanOf(perRow, null), CrossEntropy.meanOf(perRow, train),
                CrossEntropy.meanOf(perRow, test), CrossEntropy.shareOf(hits, train), CrossEntropy.shareOf(hits, test));
    }

    /** The first target's full loss, each target's measures when there are several, and the means over them. */
    static void write(TaskDefined task, List<TaskLosses> perTarget, MeasureSink out) {
        List<TaskDefined.Target> targets = task.targets();
        double trainLoss = 0;
        double testLoss = 0;
        double trainAcc = 0;
        double testAcc = 0;
        for (int t = 0; t < targets.size(); t++) {
            TaskLosses l = perTarget.get(t);
            if (t == 0) {
                out.scalar(FULL_LOSS, l.full());
            }
            if (targets.size() > 1) {
                String name = targets.get(t).name();
                out.scalar(TEST_LOSS_OF, name, l.testLoss());
                out.scalar(TEST_ACCURACY_OF, name, l.testAccuracy());
                out.scalar(TRAIN_LOSS_OF, name, l.trainLoss());
                out.scalar(TRAIN_ACCURACY_OF, name, l.trainAccuracy());
            }
            trainLoss += l.trainLoss() / targets.size();
            testLoss += l.testLoss() / targets.size();
            trainAcc += l.trainAccuracy() / targets.size();
            testAcc += l.testAccuracy() / targets.size();
        }
        out.scalar(TRAIN_LOSS, trainLoss);
        out.scalar(TEST_LOSS, testLoss);
        out.scalar(TRAIN_ACCURACY, trainAcc);
        out.scalar(TEST_ACCURACY, testAcc);
    }

    static int[] labelsOf(TaskDefined task, int target) {
        int[][] labels = task.data().labels();
        int[] out = new int[labels.length];
        for (int r = 0; r < labels.length; r++) {
            out[r] = labels[r][target];
        }
        return out;
    }

    /** The rows not in {@code train}, ascending. */
    static int[] complement(int[] train, int rows) {
        boolean[] in = new boolean[rows];
        for (int r : train) {
            if (r < 0 || r >= rows) {
                throw new IllegalArgumentException("training row " + r + " outside 0.." + (rows - 1));
            }
            in[r] = true;
        }
        return java.util.stream.IntStream.range(0, rows).filter(r -> !in[r]).toArray();
    }
}
