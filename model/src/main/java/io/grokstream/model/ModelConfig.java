package io.grokstream.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The architecture of one grokking transformer: Nanda et al. (2023) one-layer model, generalised.
 *
 * <p>Token and (optional) learned positional embedding, {@code nLayers} blocks of multi-head causal attention and
 * a ReLU MLP (either may be switched off), optional LayerNorm, and one untied unembedding per output group. The
 * parameter names and shapes follow TransformerLens ({@link #parameters()}), so every module that touches weights
 * (trainer, safetensors, ONNX export, analysis) agrees on one definition.
 *
 * @param dVocab   input vocabulary size (p + 1 for modular arithmetic: the residues and '=')
 * @param nCtx     sequence length (3 for {@code x y =})
 * @param outputs  the output groups, in the order the task declares them
 * @param dtype    {@code float32} or {@code float64}, the precision training runs in
 */
public record ModelConfig(
        int nLayers,
        int dModel,
        int nHeads,
        int dHead,
        int dMlp,
        int dVocab,
        int nCtx,
        List<OutputGroup> outputs,
        boolean attnOnly,
        boolean mlpOnly,
        boolean layerNorm,
        boolean positionalEmbedding,
        String dtype) {

    /** Largest parameter count a worker accepts (Reliability: refuse what would exhaust memory up front). */
    public static final long MAX_PARAMETERS = 50_000_000L;

    public ModelConfig {
        requireRange("nLayers", nLayers, 1, 16);
        requireRange("dModel", dModel, 1, 4096);
        requireRange("nHeads", nHeads, 1, 64);
        requireRange("dHead", dHead, 1, 1024);
        requireRange("dMlp", dMlp, 1, 16384);
        requireRange("dVocab", dVocab, 2, 1_000_000);
        requireRange("nCtx", nCtx, 1, 4096);
        if (outputs == null || outputs.isEmpty()) {
            throw new IllegalArgumentException("outputs must name at least one output group");
        }
        outputs = List.copyOf(outputs);
        if (outputs.stream().map(OutputGroup::name).distinct().count() != outputs.size()) {
            throw new IllegalArgumentException("output group names must be unique: " + outputs);
        }
        if (attnOnly && mlpOnly) {
            throw new IllegalArgumentException("attnOnly and mlpOnly cannot both be set: the blocks would be empty");
        }
        if (dtype == null) {
            dtype = "float32";
        }
        if (!dtype.equals("float32") && !dtype.equals("float64")) {
            throw new IllegalArgumentException("dtype must be float32 or float64, got " + dtype);
        }
    }

    /** Nanda et al. (2023) Section 3: d_model 128, 4 heads of 32, d_mlp 512, one layer, no LayerNorm. */
    public static ModelConfig nanda(int p) {
        return new ModelConfig(1, 128, 4, 32, 512, p + 1, 3,
                List.of(new OutputGroup("out", p)), false, false, false, true, "float32");
    }

    /** The same architecture for another task layout. */
    public ModelConfig withTask(int dVocab, int nCtx, List<OutputGroup> outputs) {
        return new ModelConfig(nLayers, dModel, nHeads, dHead, dMlp, dVocab, nCtx, outputs,
                attnOnly, mlpOnly, layerNorm, positionalEmbedding, dtype);
    }

    public boolean hasAttention() {
        return !mlpOnly;
    }

    public boolean hasMlp() {
        return !attnOnly;
    }

    /** The unembedding parameter name of an output group: {@code unembed.W_U} for a single group. */
    public String unembedName(OutputGroup group) {
        return outputs.size() == 1 ? "unembed.W_U" : "unembed." + group.name() + ".W_U";
    }

    /**
     * Every trainable parameter in canonical order, with TransformerLens names and shapes.
     * Attention has no biases (as in Nanda's model); MLP biases {@code b_in}, {@code b_out} are trained.
     */
    public List<ParameterSpec> parameters() {
        List<ParameterSpec> specs = new ArrayList<>();
        specs.add(new ParameterSpec("embed.W_E", dVocab, dModel));
        if (positionalEmbedding) {
            specs.add(new ParameterSpec("pos_embed.W_pos", nCtx, dModel));
        }
        for (int l = 0; l < nLayers; l++) {
            String b = "blocks." + l + ".";
            if (hasAttention()) {
                if (layerNorm) {
                    specs.add(new ParameterSpec(b + "ln1.w", dModel));
                    specs.add(new ParameterSpec(b + "ln1.b", dModel));
                }
                specs.add(new ParameterSpec(b + "attn.W_Q", nHeads, dModel, dHead));
                specs.add(new ParameterSpec(b + "attn.W_K", nHeads, dModel, dHead));
                specs.add(new ParameterSpec(b + "attn.W_V", nHeads, dModel, dHead));
                specs.add(new ParameterSpec(b + "attn.W_O", nHeads, dHead, dModel));
            }
            if (hasMlp()) {
                if (layerNorm) {
                    specs.add(new ParameterSpec(b + "ln2.w", dModel));
                    specs.add(new ParameterSpec(b + "ln2.b", dModel));
                }
                specs.add(new ParameterSpec(b + "mlp.W_in", dModel, dMlp));
                specs.add(new ParameterSpec(b + "mlp.b_in", dMlp));
                specs.add(new ParameterSpec(b + "mlp.W_out", dMlp, dModel));
                specs.add(new ParameterSpec(b + "mlp.b_out", dModel));
            }
        }
        if (layerNorm) {
            specs.add(new ParameterSpec("ln_final.w", dModel));
            specs.add(new ParameterSpec("ln_final.b", dModel));
        }
        for (OutputGroup g : outputs) {
            specs.add(new ParameterSpec(unembedName(g), dModel, g.classes()));
        }
        return List.copyOf(specs);
    }

    /** Total number of trainable scalars. */
    public long parameterCount() {
        return parameters().stream().mapToLong(ParameterSpec::size).sum();
    }

    private static void requireRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " must be in [" + min + ", " + max + "], got " + value);
        }
    }
}
