package io.grokstream.contracts;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What an intervention on a checkpoint does (gateway: {@code POST /api/experiments/{id}/checkpoints/{step}/interventions},
 * the dashboard's interventions page, {@code ./grokstream intervene}): the {@code kind} on the wire, lower case.
 * Each names the request fields it needs, so the gateway, its OpenAPI text and the CLI describe the same thing.
 */
public enum InterventionKind {
    /** Removes Fourier frequencies from every input's logits, along the answer's classes. */
    ABLATE_FOURIER_LOGITS("frequencies"),
    /** Removes Fourier frequencies from an activation over the p x p input grid (along x and along y) at one position. */
    ABLATE_FOURIER_ACTIVATION("hook", "frequencies", "position"),
    /** Sets chosen MLP neurons' activations ({@code blocks.L.mlp.hook_post}) to zero at every position. */
    ZERO_ABLATE_NEURONS("layer", "neurons"),
    /** Sets chosen MLP neurons' activations to their mean over the task's inputs, per position. */
    MEAN_ABLATE_NEURONS("layer", "neurons"),
    /** Sets chosen attention heads' outputs ({@code blocks.L.attn.hook_z}) to zero at every position. */
    ZERO_ABLATE_HEADS("layer", "heads"),
    /** Sets chosen attention heads' outputs to their mean over the task's inputs, per position. */
    MEAN_ABLATE_HEADS("layer", "heads"),
    /** Copies an activation of one input (the source) into every input at one position (activation patching). */
    PATCH_ACTIVATION("hook", "position", "source");

    private final String[] fields;

    InterventionKind(String... fields) {
        this.fields = fields;
    }

    /** The word on the wire: {@code ablate_fourier_logits}, {@code zero_ablate_neurons}, ... */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The request fields this kind reads besides {@code kind} and {@code inputs}. */
    public java.util.List<String> fields() {
        return java.util.List.of(fields);
    }

    /** The kind a wire word names, or empty. */
    public static Optional<InterventionKind> of(String wire) {
        return Arrays.stream(values()).filter(k -> k.wire().equals(wire)).findFirst();
    }
}
