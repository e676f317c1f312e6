package io.grokstream.dataset.generate;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * One parameter of a task kind: its type, default and limits, published by {@code GET /tasks/kinds} and used to
 * check and normalise a request ({@link #normalise}). Normalised values have one Java type per parameter type
 * ({@code Integer}, {@code Double}, {@code Boolean}, {@code String}, sorted distinct {@code List<Integer>}), so
 * equal requests encode to equal canonical bytes.
 *
 * @param name         the JSON name inside {@code parameters}
 * @param type         int, fraction (open interval (0, 1)), boolean, choice, int-list or string
 * @param defaultValue the value used when the request leaves the parameter out ({@code null}: required)
 * @param min          smallest allowed value (int; element of an int-list), else {@code null}
 * @param max          largest allowed value (int; element of an int-list), else {@code null}
 * @param choices      the allowed values of a choice, else empty
 * @param description  what it means, with the rule
 */
public record ParameterDef(String name, Type type, Object defaultValue, Long min, Long max, List<String> choices,
                           String description) {

    public enum Type { INT, FRACTION, BOOLEAN, CHOICE, INT_LIST, STRING }

    public static ParameterDef integer(String name, int defaultValue, long min, long max, String description) {
        return new ParameterDef(name, Type.INT, defaultValue, min, max, List.of(), description);
    }

    public static ParameterDef fraction(String name, double defaultValue, String description) {
        return new ParameterDef(name, Type.FRACTION, defaultValue, null, null, List.of(), description);
    }

    public static ParameterDef bool(String name, boolean defaultValue, String description) {
        return new ParameterDef(name, Type.BOOLEAN, defaultValue, null, null, List.of(), description);
    }

    public static ParameterDef choice(String name, String defaultValue, List<String> choices, String description) {
        return new ParameterDef(name, Type.CHOICE, defaultValue, null, null, List.copyOf(choices), description);
    }

    public static ParameterDef intList(String name, long min, long max, String description) {
        return new ParameterDef(name, Type.INT_LIST, List.of(), min, max, List.of(), description);
    }

    public static ParameterDef string(String name, String defaultValue, String description) {
        return new ParameterDef(name, Type.STRING, defaultValue, null, null, List.of(), description);
    }

    /** Checks a raw JSON value ({@code null}: absent) and returns its canonical form. */
    public Object normalise(Object raw) {
        if (raw == null) {
            return defaultValue;
        }
        String field = "parameters." + name;
        return switch (type) {
            case INT -> {
                long v = integral(raw, field);
                if ((min != null && v < min) || (max != null && v > max)) {
                    throw new InvalidRequestException(field, name + " must be in " + min + ".." + max + ", got " + v);
                }
                yield (int) v;
            }
            case FRACTION -> {
                if (!(raw instanceof Number n)) {
                    throw new InvalidRequestException(field, name + " must be a number in (0, 1), got " + describe(raw));
                }
                double v = n.doubleValue();
                if (!(v > 0.0 && v < 1.0)) {
                    throw new InvalidRequestException(field, name + " must be in the open interval (0, 1), got " + v);
                }
                yield v;
            }
            case BOOLEAN -> {
                if (!(raw instanceof Boolean b)) {
                    throw new InvalidRequestException(field, name + " must be true or false, got " + describe(raw));
                }
                yield b;
            }
            case CHOICE -> {
                if (!(raw instanceof String s) || !choices.contains(s)) {
                    throw new InvalidRequestException(field, name + " must be one of " + choices + ", got " + describe(raw));
                }
                yield s;
            }
            case INT_LIST -> {
                if (!(raw instanceof List<?> list)) {
                    throw new InvalidRequestException(field, name + " must be a list of integers, got " + describe(raw));
                }
                TreeSet<Integer> values = new TreeSet<>();
                for (Object o : list) {
                    long v = integral(o, field);
                    if ((min != null && v < min) || (max != null && v > max)) {
                        throw new InvalidRequestException(field, name + " entries must be in " + min + ".." + max
                                + ", got " + v);
                    }
                    values.add((int) v);
                }
                yield List.copyOf(new ArrayList<>(values));
            }
            case STRING -> {
                if (!(raw instanceof String s) || !s.matches("[A-Za-z0-9_-]{1,40}")) {
                    throw new InvalidRequestException(field, name + " must match [A-Za-z0-9_-]{1,40}, got " + describe(raw));
                }
                yield s;
            }
        };
    }

    private long integral(Object raw, String field) {
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
            return ((Number) raw).longValue();
        }
        if (raw instanceof Number n) {
            try {
                return new BigDecimal(n.toString()).longValueExact();
            } catch (ArithmeticException | NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw new InvalidRequestException(field, name + " must be an integer, got " + describe(raw));
    }

    private static String describe(Object raw) {
        return raw instanceof String s ? "\"" + s + "\"" : String.valueOf(raw);
    }
}
