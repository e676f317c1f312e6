package io.grokstream.analysis.forward;

import io.grokstream.analysis.ModularTasks;
import io.grokstream.analysis.math.Dense;
import io.grokstream.contracts.TaskDefined;
import io.grokstream.model.Biases;
import io.grokstream.model.MlpActivation;
import io.grokstream.model.ModelConfig;
import io.grokstream.model.NormPlacement;
import io.grokstream.model.OutputGroup;
import io.grokstream.model.Tensor;
import io.grokstream.model.reference.HookNames;
import io.grokstream.model.reference.RandomWeights;
import io.grokstream.model.reference.ReferenceForward;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The analysis' batched forward pass agrees with the model module's executable definition (ReferenceForward). */
class JavaForwardTest {

    @ParameterizedTest
    @CsvSource({"1, false, false, false, relu, mlp, pre", "2, true, false, false, relu, mlp, pre",
            "1, false, true, false, relu, mlp, pre", "1, true, false, false, relu, mlp, pre",
            "1, false, false, true, relu, mlp, pre", "2, false, true, false, relu, mlp, pre",
            "2, true, false, false, gelu, all, pre-normed-residual", "1, false, false, false, relu, none, pre",
            "1, false, false, false, gelu, all, pre", "2, true, false, false, relu, none, pre"})
    void agreesWithTheModelReference(int layers, boolean layerNorm, boolean attnOnly, boolean mlpOnly,
                                     String activation, String biases, String norm) {
        int p = 7;
        ModelConfig cfg = new ModelConfig(layers, 12, 3, 4, 20, p + 1, 3, List.of(new OutputGroup("out", p)),
                attnOnly, mlpOnly, layerNorm, true, "float64", MlpActivation.of(activation), Biases.of(biases),
                NormPlacement.of(norm), 0.0, null);
        Map<String, Tensor> w = RandomWeights.of(cfg, 42);
        TaskDefined task = ModularTasks.addition("t", p, 0.5, 3);
        Activations acts = new JavaForward().run(cfg, w, task);
        int[][] inputs = task.data().inputs();
        ReferenceForward.Result ref = new ReferenceForward(cfg, w).run(inputs);
        double[][][] logits = ref.logits("out");
        Dense mine = acts.logits().get("out");
        int last = layers - 1;
        for (int r = 0; r < inputs.length; r++) {
            for (int c = 0; c < p; c++) {
                assertEquals(logits[r][2][c], mine.get(r, c), 1e-9, "logit row " + r + " class " + c);
            }
            for (int h = 0; h < 3 && !mlpOnly; h++) {
                for (int t = 0; t < 3; t++) {
                    assertEquals(ref.activation(HookNames.pattern(last)).get(r, h, 2, t),
                            acts.attentionLast().get(r, h * 3 + t), 1e-12);
                }
            }
            if (!attnOnly) {
                for (int n = 0; n < 20; n++) {
                    assertEquals(ref.activation(HookNames.mlpPost(last)).get(r, 2, n), acts.mlpPost().get(r, n), 1e-9);
                }
            }
        }
    }

    /**
     * Two output groups of 7 classes are wider (14) than the residual stream (12): the token-table pass reads them
     * off the final residual in one product ({@code ReadOut}), with and without the MLP biases, and still agrees with
     * the reference for both targets.
     */
    @ParameterizedTest
    @ValueSource(strings = {"none", "mlp"})
    void readOutsWiderThanTheResidualStreamAgreeWithTheReference(String biases) {
        int p = 7;
        ModelConfig cfg = new ModelConfig(1, 12, 3, 4, 20, p + 1, 3,
                List.of(new OutputGroup("a", p), new OutputGroup("b", p)), false, false, false, true, "float64",
                MlpActivation.RELU, Biases.of(biases), NormPlacement.PRE, 0.0, null);
        Map<String, Tensor> w = RandomWeights.of(cfg, 7);
        TaskDefined t = ModularTasks.addition("t", p, 0.5, 3);
        int[][] labels = Arrays.stream(t.data().labels()).map(l -> new int[]{l[0], l[0]}).toArray(int[][]::new);
        TaskDefined task = new TaskDefined(t.taskId(), t.kind(), t.parameters(), t.vocabulary(), t.seqLen(),
                List.of(new TaskDefined.Target("a", 2, p, "a", 1.0), new TaskDefined.Target("b", 2, p, "b", 1.0)),
                t.residues(), new TaskDefined.TaskData(t.data().inputs(), labels, t.data().trainRows()), t.sha256(),
                t.statistics(), t.warnings(), t.definedAt());
        Activations acts = new JavaForward().run(cfg, w, task);
        ReferenceForward.Result ref = new ReferenceForward(cfg, w).run(task.data().inputs());
        for (String group : List.of("a", "b")) {
            double[][][] logits = ref.logits(group);
            Dense mine = acts.logits().get(group);
            for (int r = 0; r < logits.length; r++) {
                for (int c = 0; c < p; c++) {
                    assertEquals(logits[r][2][c], mine.get(r, c), 1e-9, group + " row " + r + " class " + c);
                }
            }
        }
    }
}
