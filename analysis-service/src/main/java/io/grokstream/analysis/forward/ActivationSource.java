package io.grokstream.analysis.forward;

import io.grokstream.contracts.TaskDefined;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.Tensor;

import java.util.Map;

/** Runs a snapshot's network on every input of its task, once, and returns the activations the measures read. */
public interface ActivationSource {

    /**
     * @throws IllegalArgumentException when the weights do not fit the config or the task
     */
    Activations run(ModelConfig config, Map<String, Tensor> weights, TaskDefined task);
}
