package io.grokstream.gateway.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grokstream.gateway.api.ApiException;

import java.util.Iterator;
import java.util.Set;

/**
 * Typed, range-checked reads from a JSON request tree. Every refusal is a 400 naming the field by its dotted
 * path ({@code optimizer.lr}) and the rule it broke; a missing or null field takes its default.
 */
final class RequestReader {
    private RequestReader() {
    }

    static ObjectNode object(JsonNode parent, String name, String path) {
        JsonNode n = parent == null ? null : parent.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isObject()) {
            throw ApiException.badRequest(path, path + " must be a JSON object");
        }
        return (ObjectNode) n;
    }

    static void onlyKnown(JsonNode node, String prefix, Set<String> known) {
        if (node == null) {
            return;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                String path = prefix.isEmpty() ? f : prefix + "." + f;
                throw ApiException.badRequest(path, "unknown field " + path + "; known: " + String.join(", ",
                        known.stream().sorted().toList()));
            }
        }
    }

    static double number(JsonNode parent, String name, String path, double def, double min, boolean minOpen,
                         double max, boolean maxOpen) {
        JsonNode n = parent == null ? null : parent.get(name);
        if (n == null || n.isNull()) {
            return def;
        }
        if (!n.isNumber()) {
            throw ApiException.badRequest(path, path + " must be a number");
        }
        double v = n.asDouble();
        boolean low = minOpen ? v <= min : v < min;
        boolean high = maxOpen ? v >= max : v > max;
        if (!Double.isFinite(v) || low || high) {
            throw ApiException.badRequest(path, path + " must be in " + (minOpen ? "(" : "[") + fmt(min) + ", " + fmt(max)
                    + (maxOpen ? ")" : "]") + ", got " + n.asText());
        }
        return v;
    }

    static long integer(JsonNode parent, String name, String path, long def, long min, long max) {
        JsonNode n = parent == null ? null : parent.get(name);
        if (n == null || n.isNull()) {
            return def;
        }
        if (!n.isNumber()) {
            throw ApiException.badRequest(path, path + " must be an integer");
        }
        if (!n.isIntegralNumber() && n.asDouble() != Math.rint(n.asDouble())) {
            throw ApiException.badRequest(path, path + " must be an integer, got " + n.asText());
        }
        if (!n.canConvertToLong() || n.asLong() < min || n.asLong() > max) {
            throw ApiException.badRequest(path, path + " must be in [" + min + ", " + max + "], got " + n.asText());
        }
        return n.asLong();
    }

    static boolean bool(JsonNode parent, String name, String path, boolean def) {
        JsonNode n = parent == null ? null : parent.get(name);
        if (n == null || n.isNull()) {
            return def;
        }
        if (!n.isBoolean()) {
            throw ApiException.badRequest(path, path + " must be true or false");
        }
        return n.asBoolean();
    }

    static String text(JsonNode parent, String name, String path, String def, Set<String> allowed) {
        JsonNode n = parent == null ? null : parent.get(name);
        if (n == null || n.isNull()) {
            return def;
        }
        if (!n.isTextual()) {
            throw ApiException.badRequest(path, path + " must be a string");
        }
        if (allowed != null && !allowed.contains(n.asText())) {
            throw ApiException.badRequest(path, path + " must be one of " + String.join(", ",
                    allowed.stream().sorted().toList()) + ", got " + n.asText());
        }
        return n.asText();
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
