package io.grokstream.deploy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The fields a typed Kubernetes or Strimzi object did not know. Their models keep unknown fields in
 * {@code additionalProperties} instead of failing (so a misspelt {@code readOnlyRootFilesytem} would pass a plain
 * parse); this walks the object graph through its getters and names every path that holds one.
 */
final class UnknownFields {
    private UnknownFields() {
    }

    static List<String> of(Object root) {
        List<String> found = new ArrayList<>();
        walk(root, "", found, 0);
        return found;
    }

    private static void walk(Object o, String path, List<String> found, int depth) {
        if (o == null || depth > 40 || o instanceof String || o instanceof Number || o instanceof Boolean
                || o instanceof Enum<?> || o.getClass().isPrimitive()) {
            return;
        }
        if (o instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, found, depth + 1));
            return;
        }
        if (o instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                walk(item, path + "[" + i++ + "]", found, depth + 1);
            }
            return;
        }
        String pkg = o.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8") && !pkg.startsWith("io.strimzi") && !pkg.startsWith("io.grokstream")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers())
                    || m.getDeclaringClass() == Object.class || m.getReturnType().isPrimitive()) {
                continue;
            }
            String name = m.getName();
            Object value = invoke(m, o);
            if (name.equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(k -> found.add(path + "." + k));
                }
            } else if (name.startsWith("get") || o instanceof Record && isComponent(o, name)) {
                walk(value, path + "." + property(name), found, depth + 1);
            }
        }
    }

    private static boolean isComponent(Object record, String name) {
        for (var c : record.getClass().getRecordComponents()) {
            if (c.getName().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static String property(String getter) {
        return getter.startsWith("get") && getter.length() > 3
                ? Character.toLowerCase(getter.charAt(3)) + getter.substring(4) : getter;
    }

    private static Object invoke(Method m, Object o) {
        try {
            return m.invoke(o);
        } catch (IllegalAccessException | InvocationTargetException | RuntimeException e) {
            return null;
        }
    }
}
