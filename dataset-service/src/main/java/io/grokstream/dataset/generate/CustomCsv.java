package io.grokstream.dataset.generate;

import io.grokstream.contracts.TaskDefined;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A task from an uploaded CSV ({@link CsvTable}): the label columns (parameter {@code labels}, comma-separated;
 * default the last column) are targets, every other column is a token position, in header order. Token strings
 * form the vocabulary, sorted numerically when every token is a non-negative integer, else by code point. A label
 * column of non-negative integers keeps them as classes (classes = max + 1); any other column maps its sorted
 * distinct values to classes 0.. and records them under {@code classNames}. Every target reads the last token
 * position and has its own output group named after the column.
 */
public final class CustomCsv implements TaskKind {
    public static final String NAME = "custom";
    static final int MAX_INTEGER_CLASS = 100_000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "a task from an uploaded CSV: POST /tasks/custom with a text/csv body (header row of column names), "
                + "these parameters as query parameters";
    }

    @Override
    public List<ParameterDef> parameters() {
        return CommonParameters.with(
                ParameterDef.string("name", "upload", "a readable name for the task id, [A-Za-z0-9_-]{1,40}"),
                new ParameterDef("labels", ParameterDef.Type.STRING, "", null, null, List.of(),
                        "comma-separated label column names; empty: the last column"),
                new ParameterDef("csvSha256", ParameterDef.Type.STRING, "", null, null, List.of(),
                        "set by the service: sha256 of the uploaded bytes"));
    }

    @Override
    public Params normalise(Map<String, Object> raw) {
        Map<String, Object> given = new LinkedHashMap<>(raw == null ? Map.of() : raw);
        Object labels = given.remove("labels");
        Object sha = given.remove("csvSha256");
        List<ParameterDef> checked = parameters().stream()
                .filter(d -> !d.name().equals("labels") && !d.name().equals("csvSha256")).toList();
        Params params = Params.normalise(checked, given);
        if (labels != null && !(labels instanceof String s && s.matches("[A-Za-z0-9_]{1,32}(,[A-Za-z0-9_]{1,32})*"))) {
            throw new InvalidRequestException("parameters.labels", "labels must be comma-separated column names");
        }
        if (!(sha instanceof String s && s.matches("[0-9a-f]{64}"))) {
            throw new InvalidRequestException("parameters.csvSha256", "csvSha256 must be the hex sha256 of the upload");
        }
        return params.with("labels", labels == null ? "" : labels).with("csvSha256", sha);
    }

    @Override
    public String label(Params params) {
        return NAME + "-" + params.string("name");
    }

    /** Uploads carry their data in the body: use {@link #generate(CsvTable, Params, Limits)}. */
    @Override
    public GeneratedTask generate(Params params, Limits limits) {
        throw new InvalidRequestException("kind", "custom tasks are created by uploading a CSV to POST /tasks/custom");
    }

    public GeneratedTask generate(CsvTable table, Params params, Limits limits) {
        limits.checkRows(CsvTable.FIELD, table.rows().size());
        List<String> labelColumns = new ArrayList<>();
        String labels = params.string("labels");
        if (labels.isEmpty()) {
            labelColumns.add(table.header().get(table.header().size() - 1));
        } else {
            for (String name : labels.split(",")) {
                if (table.column(name) < 0) {
                    throw new InvalidRequestException("parameters.labels", "no column named '" + name + "' in the CSV header "
                            + table.header());
                }
                if (!labelColumns.contains(name)) {
                    labelColumns.add(name);
                }
            }
        }
        List<String> tokenColumns = table.header().stream().filter(c -> !labelColumns.contains(c)).toList();
        if (tokenColumns.isEmpty()) {
            throw new InvalidRequestException("parameters.labels", "every column is a label; at least one token column is needed");
        }
        int rows = table.rows().size();
        int seqLen = tokenColumns.size();
        TreeSet<String> tokenSet = new TreeSet<>();
        for (List<String> row : table.rows()) {
            for (String column : tokenColumns) {
                tokenSet.add(row.get(table.column(column)));
            }
        }
        List<String> vocabulary = sortedValues(tokenSet);
        Map<String, Integer> tokenIds = indexOf(vocabulary);
        int[][] inputs = new int[rows][seqLen];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < seqLen; c++) {
                inputs[r][c] = tokenIds.get(table.rows().get(r).get(table.column(tokenColumns.get(c))));
            }
        }
        int[][] labelData = new int[rows][labelColumns.size()];
        List<TaskDefined.Target> targets = new ArrayList<>();
        Map<String, Object> classNames = new LinkedHashMap<>();
        for (int t = 0; t < labelColumns.size(); t++) {
            String column = labelColumns.get(t);
            int index = table.column(column);
            TreeSet<String> values = new TreeSet<>();
            table.rows().forEach(row -> values.add(row.get(index)));
            int classes;
            if (allSmallIntegers(values)) {
                int max = values.stream().mapToInt(Integer::parseInt).max().orElse(0);
                classes = Math.max(2, max + 1);
                for (int r = 0; r < rows; r++) {
                    labelData[r][t] = Integer.parseInt(table.rows().get(r).get(index));
                }
            } else {
                List<String> names = List.copyOf(values);
                if (names.size() < 2) {
                    throw new InvalidRequestException("parameters.labels", "label column '" + column
                            + "' has a single value; a target needs at least 2 classes");
                }
                Map<String, Integer> ids = indexOf(names);
                classes = names.size();
                for (int r = 0; r < rows; r++) {
                    labelData[r][t] = ids.get(table.rows().get(r).get(index));
                }
                classNames.put(column, names);
            }
            targets.add(new TaskDefined.Target(column, seqLen - 1, classes, column, 1.0));
        }
        Map<String, Object> derived = new LinkedHashMap<>();
        derived.put("tokenColumns", tokenColumns);
        derived.put("labelColumns", labelColumns);
        if (!classNames.isEmpty()) {
            derived.put("classNames", classNames);
        }
        return new GeneratedTask(vocabulary, seqLen, targets, null,
                new TaskDefined.TaskData(inputs, labelData, CommonParameters.split(params, rows)), derived);
    }

    private static boolean allSmallIntegers(java.util.Collection<String> values) {
        return values.stream().allMatch(v -> v.matches("\\d{1,6}") && Integer.parseInt(v) <= MAX_INTEGER_CLASS);
    }

    private static List<String> sortedValues(TreeSet<String> values) {
        if (values.stream().allMatch(v -> v.matches("\\d{1,18}"))) {
            return values.stream().sorted(Comparator.comparingLong(Long::parseLong)).toList();
        }
        return List.copyOf(values);
    }

    private static Map<String, Integer> indexOf(List<String> values) {
        Map<String, Integer> ids = new java.util.HashMap<>();
        for (int i = 0; i < values.size(); i++) {
            ids.put(values.get(i), i);
        }
        return ids;
    }
}
