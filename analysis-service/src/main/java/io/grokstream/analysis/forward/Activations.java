package io.grokstream.analysis.forward;

import io.grokstream.analysis.math.Dense;

import java.util.Map;

/**
 * What one run of a snapshot's network over every input of its task gives the measures: the logits of each
 * target, the last block's MLP activations at the first target's position (TransformerLens
 * {@code blocks.L.mlp.hook_post}) and the last block's attention pattern from that position
 * ({@code blocks.L.attn.hook_pattern[:, :, q, :]}; the last position for Nanda's task).
 *
 * @param logits       target name -> [rows, classes]
 * @param mlpPost      [rows, d_mlp], {@code null} for attention-only models
 * @param attentionLast [rows, heads * seq] (head-major), {@code null} for MLP-only models
 */
public record Activations(Map<String, Dense> logits, Dense mlpPost, Dense attentionLast) {
    public Activations {
        logits = Map.copyOf(logits);
    }
}
