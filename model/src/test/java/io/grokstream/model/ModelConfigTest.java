package io.grokstream.model;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelConfigTest {

    @Test
    void nandasModelHasTransformerLensNamesAndShapes() {
        List<ParameterSpec> params = ModelConfig.nanda(113).parameters();

        assertEquals(List.of("embed.W_E", "pos_embed.W_pos", "blocks.0.attn.W_Q", "blocks.0.attn.W_K",
                "blocks.0.attn.W_V", "blocks.0.attn.W_O", "blocks.0.mlp.W_in", "blocks.0.mlp.b_in",
                "blocks.0.mlp.W_out", "blocks.0.mlp.b_out", "unembed.W_U"),
                params.stream().map(ParameterSpec::name).toList());
        assertArrayEquals(new int[]{114, 128}, params.get(0).shape());
        assertArrayEquals(new int[]{4, 128, 32}, params.get(2).shape());
        assertArrayEquals(new int[]{4, 32, 128}, params.get(5).shape());
        assertArrayEquals(new int[]{128, 113}, params.get(10).shape());
        // 114*128 + 3*128 + 3*4*128*32 + 4*32*128 + 128*512 + 512 + 512*128 + 128 + 128*113
        assertEquals(226_688, ModelConfig.nanda(113).parameterCount());
    }

    @Test
    void everyOutputGroupGetsItsOwnUnembedding() {
        ModelConfig m = ModelConfig.nanda(7).withTask(8, 3,
                List.of(new OutputGroup("q2", 2), new OutputGroup("q3", 3), new OutputGroup("q5", 5)));
        List<String> names = m.parameters().stream().map(ParameterSpec::name).toList();
        assertTrue(names.containsAll(List.of("unembed.q2.W_U", "unembed.q3.W_U", "unembed.q5.W_U")));
        assertFalse(names.contains("unembed.W_U"));
    }

    @Test
    void variantsDropTheirBlocksAndLayerNormAddsItsParameters() {
        ModelConfig base = ModelConfig.nanda(5);
        ModelConfig attnOnly = new ModelConfig(2, 8, 2, 4, 16, 6, 3, base.outputs(), true, false, true, false, "float64");
        List<String> names = attnOnly.parameters().stream().map(ParameterSpec::name).toList();
        assertTrue(names.contains("blocks.1.attn.W_Q"));
        assertTrue(names.contains("blocks.1.ln1.w"));
        assertTrue(names.contains("ln_final.b"));
        assertFalse(names.stream().anyMatch(n -> n.contains("mlp")));
        assertFalse(names.contains("pos_embed.W_pos"));
    }

    @Test
    void invalidArchitecturesNameTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ModelConfig(1, 0, 4, 32, 512, 114, 3, List.of(new OutputGroup("out", 113)),
                        false, false, false, true, "float32"));
        assertTrue(e.getMessage().startsWith("dModel"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ModelConfig(1, 8, 1, 8, 8, 10, 3,
                List.of(new OutputGroup("out", 9)), true, true, false, true, "float32"));
        assertThrows(IllegalArgumentException.class, () -> new ModelConfig(1, 8, 1, 8, 8, 10, 3,
                List.of(new OutputGroup("out", 9)), false, false, false, true, "float16"));
    }

    @Test
    void leesModelHasAttentionBiasesLayerNormsAndItsParameterCount() {
        ModelConfig lee = ModelConfig.leeGrokfast(97);
        List<String> names = lee.parameters().stream().map(ParameterSpec::name).toList();
        assertTrue(names.containsAll(List.of("blocks.1.attn.b_Q", "blocks.1.attn.b_K", "blocks.1.attn.b_V",
                "blocks.1.attn.b_O", "blocks.1.ln1.b", "ln_final.w", "ln_final.b")));
        assertEquals(List.of(4, 32), java.util.Arrays.stream(lee.parameters().get(names.indexOf("blocks.0.attn.b_Q"))
                .shape()).boxed().toList());
        // PyTorch counts 422,784 for main.py's Decoder(num_tokens=99, seq_len=5): less one unused position row
        // (128) and the head's two columns for '∘' and '=' (256), that is 422,400
        assertEquals(422_400, lee.parameterCount());
        assertEquals(MlpActivation.GELU, lee.activation());
    }

    @Test
    void aBiasFreeModelHasNoBiasAnywhereLayerNormOffsetsIncluded() {
        ModelConfig ln = new ModelConfig(2, 8, 2, 4, 16, 6, 3, List.of(new OutputGroup("out", 5)), false, false, true,
                true, "float32").withBiases(Biases.NONE);
        assertTrue(ln.parameters().stream().noneMatch(ParameterSpec::isBias), ln.parameters().toString());
        assertTrue(ln.parameters().stream().anyMatch(ParameterSpec::isLayerNormScale));
        assertEquals(ModelConfig.nanda(113).parameterCount() - 512 - 128,
                ModelConfig.nanda(113).withBiases(Biases.NONE).parameterCount());
    }

    @Test
    void laterComponentsDefaultToNandasAndRefuseWhatCannotBe() {
        ModelConfig old = ModelConfig.nanda(7);
        assertEquals(MlpActivation.RELU, old.activation());
        assertEquals(Biases.MLP, old.biases());
        assertEquals(NormPlacement.PRE, old.normPlacement());
        assertEquals(Initialization.NANDA, old.initialization());
        assertEquals(0.0, old.dropout());
        IllegalArgumentException noLn = assertThrows(IllegalArgumentException.class, () -> new ModelConfig(1, 8, 1, 8,
                8, 10, 3, List.of(new OutputGroup("out", 9)), false, false, false, true, "float32", null, null,
                NormPlacement.PRE_NORMED_RESIDUAL, 0, null));
        assertTrue(noLn.getMessage().startsWith("normPlacement"), noLn.getMessage());
        IllegalArgumentException drop = assertThrows(IllegalArgumentException.class, () -> old.withWidth(8, 2, 8, 1.0));
        assertTrue(drop.getMessage().startsWith("dropout"), drop.getMessage());
        IllegalArgumentException act = assertThrows(IllegalArgumentException.class, () -> MlpActivation.of("swish"));
        assertTrue(act.getMessage().startsWith("activation must be one of [relu, gelu]"), act.getMessage());
    }
}
