package io.grokstream.reproduce;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A study's report as structured blocks (text, tables, figures), its checked claims and its raw figures. Kept
 * structured so that one writer renders Markdown for the repository and HTML for the dashboard from the same
 * content.
 */
public final class Report {
    /** A part of the report body, in order. */
    public sealed interface Block permits Heading, Text, Table, Figure {
    }

    public record Heading(String text) implements Block {
    }

    /** A paragraph; Markdown-light: {@code **bold**} and {@code `code`} are rendered in HTML too. */
    public record Text(String text) implements Block {
    }

    public record Table(List<String> header, List<List<String>> rows) implements Block {
        public Table {
            for (List<String> row : rows) {
                if (row.size() != header.size()) {
                    throw new IllegalArgumentException("table row " + row + " has " + row.size()
                            + " cells, the header " + header.size());
                }
            }
            header = List.copyOf(header);
            rows = rows.stream().map(List::copyOf).toList();
        }
    }

    /** An SVG figure stored as {@code figures/<file>}. */
    public record Figure(String file, String svg, String caption) implements Block {
        public Figure {
            if (!file.matches("[a-z0-9-]+\\.svg")) {
                throw new IllegalArgumentException("figure file must match [a-z0-9-]+.svg, got " + file);
            }
        }
    }

    private final String study;
    private final String title;
    private final List<Block> blocks = new ArrayList<>();
    private final List<Claim> claims = new ArrayList<>();
    private final List<SetupRow> setup = new ArrayList<>();
    private final Map<String, Object> figures = new LinkedHashMap<>();

    public Report(String study, String title) {
        this.study = study;
        this.title = title;
    }

    public String study() {
        return study;
    }

    public String title() {
        return title;
    }

    public Report heading(String text) {
        blocks.add(new Heading(text));
        return this;
    }

    public Report text(String text) {
        blocks.add(new Text(text));
        return this;
    }

    public Report table(List<String> header, List<List<String>> rows) {
        blocks.add(new Table(header, rows));
        return this;
    }

    public Report figure(String file, String svg, String caption) {
        blocks.add(new Figure(file, svg, caption));
        return this;
    }

    /**
     * The paper's setup beside this run's, line by line (rendered before the claims, deviations marked); returns
     * whether the run follows the paper on every line the study calls material ({@code material} aspects).
     */
    public boolean setup(List<SetupRow> rows, java.util.Set<String> material) {
        setup.clear();
        setup.addAll(rows);
        figures.put("setup", rows.stream().map(r -> Map.of("aspect", r.aspect(), "paper", r.paper(), "run", r.run(),
                "deviation", r.deviation(), "note", r.note())).toList());
        return rows.stream().noneMatch(r -> r.deviation() && material.contains(r.aspect()));
    }

    public List<SetupRow> setup() {
        return List.copyOf(setup);
    }

    public Report claim(Claim claim) {
        claims.add(claim);
        return this;
    }

    /**
     * Turns every verdict into "no data" while runs are still training (--no-wait): a run that has not ended has
     * not failed to grok yet. The verdict so far stays in the evidence.
     */
    public Report provisional(String why) {
        claims.replaceAll(c -> c.verdict() == Claim.Verdict.NO_DATA || c.verdict() == Claim.Verdict.NOT_TESTED ? c
                : Claim.noData(c.statement(),
                "provisional, " + why + "; so far " + c.verdict().label() + ": " + c.evidence()));
        return this;
    }

    /** A raw figure for results.json (numbers, lists, maps of them). */
    public Report put(String key, Object value) {
        figures.put(key, value);
        return this;
    }

    public List<Block> blocks() {
        return List.copyOf(blocks);
    }

    public List<Claim> claims() {
        return List.copyOf(claims);
    }

    public Map<String, Object> figures() {
        return new LinkedHashMap<>(figures);
    }

    public long held() {
        return claims.stream().filter(c -> c.verdict() == Claim.Verdict.HELD).count();
    }

    public long notTested() {
        return claims.stream().filter(c -> c.verdict() == Claim.Verdict.NOT_TESTED).count();
    }
}
