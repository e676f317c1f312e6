package io.grokstream.trainer.engine;

import io.grokstream.contracts.ExperimentSubmitted;
import io.grokstream.contracts.ExperimentSubmitted.Cadence;
import io.grokstream.contracts.ExperimentSubmitted.GrokFastConfig;
import io.grokstream.contracts.ExperimentSubmitted.OptimizerConfig;
import io.grokstream.contracts.ExperimentSubmitted.TrainingBudget;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.OutputGroup;

import java.time.Instant;
import java.util.List;

/** Small experiments for the engine's tests. */
final class Experiments {

    private Experiments() {
    }

    /** Nanda's architecture shrunk for fast tests: d_model 32, 4 heads of 8, d_mlp 64. */
    static ModelConfig small(int p) {
        return new ModelConfig(1, 32, 4, 8, 64, p + 1, 3, List.of(new OutputGroup("out", p)),
                false, false, false, true, "float32");
    }

    static ExperimentSubmitted experiment(ModelConfig model, OptimizerConfig opt, GrokFastConfig gf, long steps,
                                          Double stopAt, long seed, Cadence cadence) {
        return new ExperimentSubmitted("exp-test", "team", "test", "task", "sha", model, opt, gf,
                new TrainingBudget(steps, stopAt), seed, cadence, false, null, null, Instant.now());
    }
}
