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
}
