package io.grokstream.trainer.worker;

import io.grokstream.contracts.TaskDefined;
import io.grokstream.model.ModelConfig;

import java.util.Optional;

/**
 * The bounds a worker checks before it trains anything (issue 8, scenario 8: refuse up front what would exhaust
 * memory, instead of dying half-way through a run).
 *
 * <p>Two limits: the parameter count ({@link ModelConfig#MAX_PARAMETERS} by default) and an estimate of the
 * activation memory of the largest forward pass. The estimate follows the widest per-token activation of a block:
 * the MLP hidden layer {@code d_mlp} (or {@code d_model} without an MLP, or the attention pattern
 * {@code n_heads x n_ctx} when that is wider), for every row and position of the task, in the training dtype, per
 * layer, times {@link #ACTIVATION_FACTOR} for the pre- and post-ReLU copies and their gradients in backward:
 * <pre>
 *   bytes = rows x n_ctx x width x bytes(dtype) x n_layers x ACTIVATION_FACTOR
 * </pre>
 * Rows are all the task's rows (train and validation), since the engine evaluates both full batch.
 */
public final class ResourceLimits {

    /** Pre- and post-activation of the widest layer, each with its gradient in backward. */
    public static final int ACTIVATION_FACTOR = 4;

    private final long maxParameters;
    private final long memoryBudgetBytes;

    public ResourceLimits(long maxParameters, long memoryBudgetBytes) {
        if (maxParameters < 1) {
            throw new IllegalArgumentException("maxParameters must be positive, got " + maxParameters);
        }
        if (memoryBudgetBytes < 1) {
            throw new IllegalArgumentException("grokstream.trainer.memory-budget-bytes must be positive, got "
                    + memoryBudgetBytes);
        }
        this.maxParameters = maxParameters;
        this.memoryBudgetBytes = memoryBudgetBytes;
    }

    /** {@link ModelConfig#MAX_PARAMETERS} and the given activation budget. */
    public static ResourceLimits withBudget(long memoryBudgetBytes) {
        return new ResourceLimits(ModelConfig.MAX_PARAMETERS, memoryBudgetBytes);
    }

    public long maxParameters() {
        return maxParameters;
    }

    public long memoryBudgetBytes() {
        return memoryBudgetBytes;
    }

    /** The activation estimate of the class comment, in bytes. */
    public static long activationBytes(ModelConfig model, int rows) {
        if (rows < 0) {
            throw new IllegalArgumentException("rows must be non-negative, got " + rows);
        }
        long width = model.hasMlp() ? Math.max(model.dMlp(), model.dModel()) : model.dModel();
        if (model.hasAttention()) {
            width = Math.max(width, (long) model.nHeads() * model.nCtx());
        }
        long bytesPerValue = "float64".equals(model.dtype()) ? 8 : 4;
        return (long) rows * model.nCtx() * width * bytesPerValue * model.nLayers() * ACTIVATION_FACTOR;
    }

    /**
     * Why this experiment must not be trained here, naming the limit, or empty when it fits.
     */
    public Optional<String> refusal(ModelConfig model, TaskDefined task) {
        long parameters = model.parameterCount();
        if (parameters > maxParameters) {
            return Optional.of("resource limit: the model has " + parameters
                    + " parameters, above the limit of " + maxParameters + " (ModelConfig.MAX_PARAMETERS)");
        }
        int rows = task == null || task.data() == null || task.data().inputs() == null ? 0 : task.data().rows();
        long activations = activationBytes(model, rows);
        if (activations > memoryBudgetBytes) {
            return Optional.of("resource limit: estimated activation memory " + activations + " bytes ("
                    + rows + " rows x " + model.nCtx() + " positions) exceeds the memory budget of "
                    + memoryBudgetBytes + " bytes (grokstream.trainer.memory-budget-bytes)");
        }
        return Optional.empty();
    }
}
