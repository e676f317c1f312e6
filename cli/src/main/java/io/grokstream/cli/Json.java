package io.grokstream.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** Reading the gateway's JSON answers: a missing or null field is {@code null}, not zero. */
final class Json {
    private Json() {
    }

    static Double number(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isNumber() ? v.asDouble() : null;
    }

    static Long whole(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isNumber() ? v.asLong() : null;
    }
}
