package io.grokstream.dataset.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Every error this service answers: what is wrong, and which field. */
@Schema(description = "An error: the rule broken and the field that broke it")
public record ErrorBody(
        @Schema(description = "what is wrong and the rule", example = "p must be prime, got 100") String error,
        @Schema(description = "the offending field, e.g. parameters.p, kind, body", example = "parameters.p") String field) {
}
