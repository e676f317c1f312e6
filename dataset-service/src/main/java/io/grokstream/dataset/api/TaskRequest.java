package io.grokstream.dataset.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Map;

/** The body of {@code POST /tasks} (the gateway forwards inline task requests with exactly this shape). */
@Schema(description = "A task request: a kind and its parameters (GET /tasks/kinds lists both, with defaults and limits)")
public record TaskRequest(
        @Schema(description = "task kind", required = true, example = "modular",
                enumeration = {"modular", "exponent", "miiii", "primality", "gcd", "sorting"}) String kind,
        @Schema(description = "parameters of the kind; omitted ones take their defaults. modular: operation, p, "
                + "trainFraction, seed; exponent: a, b, p, trainFraction, seed; miiii: p, mask, shuffleLabels, "
                + "trainFraction, seed; primality: from, to, base, encoding, trainFraction, seed; gcd: n, base, cap, "
                + "sampling, rows, trainFraction, seed; sorting: length, symbols, repeats, variableLength, rows, "
                + "trainFraction, seed", example = "{\"operation\": \"add\", \"p\": 113, \"trainFraction\": 0.3, \"seed\": 598}")
        Map<String, Object> parameters) {
}
