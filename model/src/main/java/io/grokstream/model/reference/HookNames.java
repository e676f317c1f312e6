package io.grokstream.model.reference;

import io.grokstream.model.ModelConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * The activation names every module agrees on: TransformerLens hook names, so an analyst who knows
 * {@code model.run_with_cache} finds the same tensors under the same names in grokstream's reference forward pass,
 * the DJL forward pass and an exported ONNX model.
 *
 * <p>Shapes (TransformerLens conventions): {@code hook_embed}, {@code hook_pos_embed}, {@code hook_resid_*}
 * {@code [batch, pos, d_model]}; {@code attn.hook_pattern} {@code [batch, head, query_pos, key_pos]};
 * {@code attn.hook_z} {@code [batch, pos, head, d_head]}; {@code mlp.hook_pre}, {@code mlp.hook_post}
 * {@code [batch, pos, d_mlp]}.
 *
 * <p>As in TransformerLens, {@code hook_resid_mid} exists only in a block with both attention and an MLP (it is the
 * point between the two); {@code hook_pos_embed} only with a positional embedding.
 */
public final class HookNames {

    public static final String EMBED = "hook_embed";
    public static final String POS_EMBED = "hook_pos_embed";

    private HookNames() {
    }

    public static String residPre(int layer) {
        return block(layer) + "hook_resid_pre";
    }

    public static String pattern(int layer) {
        return block(layer) + "attn.hook_pattern";
    }

    public static String z(int layer) {
        return block(layer) + "attn.hook_z";
    }

    public static String residMid(int layer) {
        return block(layer) + "hook_resid_mid";
    }

    public static String mlpPre(int layer) {
        return block(layer) + "mlp.hook_pre";
    }

    public static String mlpPost(int layer) {
        return block(layer) + "mlp.hook_post";
    }

    public static String residPost(int layer) {
        return block(layer) + "hook_resid_post";
    }

    /** Every activation the architecture has, in the order the forward pass produces them. */
    public static List<String> all(ModelConfig config) {
        List<String> names = new ArrayList<>();
        names.add(EMBED);
        if (config.positionalEmbedding()) {
            names.add(POS_EMBED);
        }
        for (int l = 0; l < config.nLayers(); l++) {
            names.add(residPre(l));
            if (config.hasAttention()) {
                names.add(pattern(l));
                names.add(z(l));
            }
            if (config.hasAttention() && config.hasMlp()) {
                names.add(residMid(l));
            }
            if (config.hasMlp()) {
                names.add(mlpPre(l));
                names.add(mlpPost(l));
            }
            names.add(residPost(l));
        }
        return List.copyOf(names);
    }

    /** The shape of an activation for a batch of {@code batch} sequences of {@code seq} tokens. */
    public static int[] shape(ModelConfig config, String name, int batch, int seq) {
        if (name.endsWith("attn.hook_pattern")) {
            return new int[]{batch, config.nHeads(), seq, seq};
        }
        if (name.endsWith("attn.hook_z")) {
            return new int[]{batch, seq, config.nHeads(), config.dHead()};
        }
        if (name.endsWith("mlp.hook_pre") || name.endsWith("mlp.hook_post")) {
            return new int[]{batch, seq, config.dMlp()};
        }
        if (all(config).contains(name)) {
            return new int[]{batch, seq, config.dModel()};
        }
        throw new IllegalArgumentException("no activation named " + name + " in this architecture (has "
                + all(config) + ")");
    }

    private static String block(int layer) {
        if (layer < 0) {
            throw new IllegalArgumentException("layer must be >= 0, got " + layer);
        }
        return "blocks." + layer + ".";
    }
}
