package io.grokstream.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A plain-text table: columns sized to their widest cell, numbers right-aligned (a header starting with '>'). */
final class Table {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... headers) {
        this.headers = List.of(headers);
    }

    Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + headers.size() + " columns");
        }
        List<String> row = new ArrayList<>();
        for (Object c : cells) {
            row.add(c == null ? "-" : c.toString());
        }
        rows.add(row);
        return this;
    }

    /** Prints the table, or {@code whenEmpty} when it has no rows. */
    void print(PrintWriter out, String whenEmpty) {
        if (rows.isEmpty()) {
            out.println(whenEmpty);
        } else {
            print(out);
        }
    }

    void print(PrintWriter out) {
        int[] width = new int[headers.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = label(i).length();
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        out.println(line(headers.stream().map(h -> h.startsWith(">") ? h.substring(1) : h).toList(), width));
        rows.forEach(r -> out.println(line(r, width)));
    }

    private String label(int i) {
        String h = headers.get(i);
        return h.startsWith(">") ? h.substring(1) : h;
    }

    private String line(List<String> cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            boolean right = headers.get(i).startsWith(">");
            String cell = cells.get(i);
            String pad = " ".repeat(width[i] - cell.length());
            b.append(i == 0 ? "" : "  ").append(right ? pad + cell : i == cells.size() - 1 ? cell : cell + pad);
        }
        return b.toString();
    }

    /** A number to four significant digits, or "-". */
    static String num(Double v) {
        return v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, "%.4g", v);
    }

    /** A number with two decimals, or "-". */
    static String fixed(Double v) {
        return v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    /** A fraction as a percentage with one decimal, or "-". */
    static String percent(Double v) {
        return v == null || v.isNaN() ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    /** Seconds as 1h02m or 3m05s, or "-". */
    static String duration(Double seconds) {
        if (seconds == null || seconds.isNaN()) {
            return "-";
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
