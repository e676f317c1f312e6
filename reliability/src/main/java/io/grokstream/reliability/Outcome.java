package io.grokstream.reliability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one scenario found: whether each of its checks held, its figures (times, counts, latencies), notes and charts.
 * The scenario holds when every check holds.
 */
final class Outcome {
    final int number;
    final String name;
    final String title;
    final Map<String, Boolean> checks = new LinkedHashMap<>();
    final Map<String, Object> figures = new LinkedHashMap<>();
    final List<String> notes = new ArrayList<>();
    /** SVG charts by file name, written next to the report and linked from its section. */
    final Map<String, String> charts = new LinkedHashMap<>();
    double seconds;
    String error;

    Outcome(int number, String name, String title) {
        this.number = number;
        this.name = name;
        this.title = title;
    }

    /** Records a check; returns it. */
    boolean check(String what, boolean held) {
        checks.put(what, held);
        Reliability.log("  check %s: %s", held ? "held" : "NOT HELD", what);
        return held;
    }

    void figure(String name, Object value) {
        figures.put(name, value);
    }

    void note(String text) {
        notes.add(text);
        Reliability.log("  note: %s", text);
    }

    void chart(String fileName, String svg) {
        charts.put(fileName, svg);
    }

    boolean held() {
        return error == null && !checks.isEmpty() && checks.values().stream().allMatch(b -> b);
    }
}
