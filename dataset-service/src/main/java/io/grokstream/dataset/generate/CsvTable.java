package io.grokstream.dataset.generate;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A parsed upload: a header of column names, then rows of the same width. The format is deliberately plain:
 * UTF-8, comma-separated, LF or CRLF line ends, no quoting (a '"' is refused), cells trimmed and non-empty,
 * names matching {@code [A-Za-z0-9_]{1,32}} (they become target and output-group names). Anything else is
 * refused with the line number.
 */
public record CsvTable(List<String> header, List<List<String>> rows) {
    public static final String FIELD = "body";

    public static CsvTable parse(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRequestException(FIELD, "CSV must be UTF-8 text");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] lines = text.split("\r?\n", -1);
        int count = lines.length;
        while (count > 0 && lines[count - 1].isBlank()) {
            count--;
        }
        if (count == 0) {
            throw new InvalidRequestException(FIELD, "CSV is empty; the first line must name the columns");
        }
        List<String> header = cells(lines[0], 1);
        Set<String> names = new HashSet<>();
        for (String name : header) {
            if (!name.matches("[A-Za-z0-9_]{1,32}")) {
                throw new InvalidRequestException(FIELD, "line 1: column name '" + name + "' must match [A-Za-z0-9_]{1,32}");
            }
            if (!names.add(name)) {
                throw new InvalidRequestException(FIELD, "line 1: column name '" + name + "' appears twice");
            }
        }
        if (header.size() < 2) {
            throw new InvalidRequestException(FIELD, "CSV needs at least one token column and one label column");
        }
        List<List<String>> rows = new ArrayList<>(count - 1);
        for (int i = 1; i < count; i++) {
            List<String> row = cells(lines[i], i + 1);
            if (row.size() != header.size()) {
                throw new InvalidRequestException(FIELD, "line " + (i + 1) + " has " + row.size()
                        + " columns, the header has " + header.size());
            }
            rows.add(row);
        }
        if (rows.size() < 2) {
            throw new InvalidRequestException(FIELD, "CSV needs at least 2 data rows, got " + rows.size());
        }
        return new CsvTable(List.copyOf(header), List.copyOf(rows));
    }

    private static List<String> cells(String line, int lineNumber) {
        if (line.indexOf('"') >= 0) {
            throw new InvalidRequestException(FIELD, "line " + lineNumber + ": quoted fields are not supported");
        }
        List<String> cells = new ArrayList<>();
        for (String cell : line.split(",", -1)) {
            String trimmed = cell.trim();
            if (trimmed.isEmpty()) {
                throw new InvalidRequestException(FIELD, "line " + lineNumber + ": empty cell in column " + (cells.size() + 1));
            }
            cells.add(trimmed);
        }
        return cells;
    }

    public int column(String name) {
        return header.indexOf(name);
    }
}
