package io.grokstream.dataset.generate;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A request's parameters after checking: every parameter of the kind present (defaults filled in), each in its
 * canonical type, sorted by name. Equal requests give equal {@code Params}, and so equal task ids.
 */
public final class Params {
    private final SortedMap<String, Object> values;

    private Params(SortedMap<String, Object> values) {
        this.values = Collections.unmodifiableSortedMap(values);
    }

    /** Checks {@code raw} against {@code defs}: unknown names and bad values are refused naming the field. */
    public static Params normalise(List<ParameterDef> defs, Map<String, Object> raw) {
        Map<String, Object> given = raw == null ? Map.of() : raw;
        for (String name : given.keySet()) {
            if (defs.stream().noneMatch(d -> d.name().equals(name))) {
                throw new InvalidRequestException("parameters." + name, "unknown parameter " + name
                        + "; this kind takes " + defs.stream().map(ParameterDef::name).toList());
            }
        }
        TreeMap<String, Object> values = new TreeMap<>();
        for (ParameterDef def : defs) {
            Object value = def.normalise(given.get(def.name()));
            if (value == null) {
                throw new InvalidRequestException("parameters." + def.name(), def.name() + " is required");
            }
            values.put(def.name(), value);
        }
        return new Params(values);
    }

    /** A copy with one more (already checked) value. */
    public Params with(String name, Object value) {
        TreeMap<String, Object> copy = new TreeMap<>(values);
        copy.put(name, value);
        return new Params(copy);
    }

    public SortedMap<String, Object> asMap() {
        return values;
    }

    public int intValue(String name) {
        return (Integer) get(name);
    }

    public double fraction(String name) {
        return (Double) get(name);
    }

    public boolean bool(String name) {
        return (Boolean) get(name);
    }

    public String string(String name) {
        return (String) get(name);
    }

    @SuppressWarnings("unchecked")
    public List<Integer> intList(String name) {
        return (List<Integer>) get(name);
    }

    private Object get(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no parameter " + name);
        }
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Params other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
