package io.grokstream.contracts;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A self-contained task definition on {@code grokstream.tasks.v1}: everything a trainer or analyst needs, the
 * materialised data included, so no consumer needs the generator code.
 *
 * @param taskId      content-derived id (same request, same id)
 * @param kind        task family: {@code modular}, {@code exponent}, {@code miiii}, {@code primality}, {@code gcd},
 *                    {@code sorting}, {@code custom}
 * @param parameters  the normalised request parameters
 * @param vocabulary  token strings; token id = index
 * @param seqLen      tokens per row
 * @param targets     what is predicted, at which position, by which output group
 * @param residues    for tasks whose inputs are residues mod p (the Fourier measures apply), else {@code null}
 * @param data        the rows, labels and split
 * @param sha256      hex sha256 of the canonical data encoding (see dataset-service)
 * @param statistics  label statistics per target
 * @param warnings    human-readable warnings (e.g. labels far from uniform)
 */
public record TaskDefined(
        String taskId,
        String kind,
        Map<String, Object> parameters,
        List<String> vocabulary,
        int seqLen,
        List<Target> targets,
        Residues residues,
        TaskData data,
        String sha256,
        List<TargetStatistics> statistics,
        List<String> warnings,
        Instant definedAt) implements GrokEvent {

    @Override
    public String subject() {
        return taskId;
    }

    /** A predicted label: the sequence position read, its class count, output group and loss weight. */
    public record Target(String name, int position, int classes, String group, double lossWeight) {
    }

    /** Inputs are residues mod {@code p} at two positions: the grid the Fourier progress measures use. */
    public record Residues(int p, int xPosition, int yPosition) {
    }

    /**
     * The materialised data: {@code inputs[row][position]} token ids, {@code labels[row][target]} classes and the
     * sorted training row indices (the rest is validation).
     */
    public record TaskData(int[][] inputs, int[][] labels, int[] trainRows) {
        public int rows() {
            return inputs.length;
        }
    }

    /** Label statistics of one target (Patel et al.: grokking fails where residues are uneven). */
    public record TargetStatistics(String target, long[] histogram, double normalizedEntropy,
                                   double maxClassShare, double minClassShare) {
    }
}
