package io.grokstream.dataset.api;

import io.grokstream.dataset.generate.ParameterDef;
import io.grokstream.dataset.generate.TaskKind;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Locale;

/** {@code GET /tasks/kinds}: every kind with its parameters, and the service's limits. */
@Schema(description = "Task kinds with their parameters, defaults and limits")
public record KindsView(List<Kind> kinds, Limits limits) {

    /** A kind and where to create it. */
    public record Kind(String kind, String description,
                       @Schema(description = "the endpoint that creates it") String endpoint,
                       List<Parameter> parameters) {
    }

    /** A parameter: type (int, fraction, boolean, choice, int_list, string), default, range or choices. */
    public record Parameter(String name, String type, Object defaultValue, Long min, Long max, List<String> choices,
                            String description) {
    }

    /** The service-wide limits every request is checked against. */
    public record Limits(@Schema(description = "grokstream.dataset.max-rows") int maxRows,
                         @Schema(description = "largest modulus p of modular, exponent, miiii") int maxP,
                         @Schema(description = "largest CSV upload in bytes") int maxUploadBytes) {
    }

    /** A kind with its parameters; the maxima of {@code p} and {@code rows} are the service's configured limits. */
    public static Kind describe(TaskKind kind, Limits limits) {
        String endpoint = kind.name().equals("custom") ? "POST /tasks/custom" : "POST /tasks";
        return new Kind(kind.name(), kind.description(), endpoint,
                kind.parameters().stream().map(def -> describe(def, limits)).toList());
    }

    private static Parameter describe(ParameterDef def, Limits limits) {
        Long max = switch (def.name()) {
            case "p" -> Math.min(def.max(), limits.maxP());
            case "rows" -> Math.min(def.max(), limits.maxRows());
            default -> def.max();
        };
        return new Parameter(def.name(), def.type().name().toLowerCase(Locale.ROOT), def.defaultValue(), def.min(),
                max, def.choices(), def.description());
    }
}
