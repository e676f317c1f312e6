package io.grokstream.reproduce;

/**
 * One line of a report's setup table: an aspect of the experiment (task, model, optimizer, steps), what the paper
 * used and what this run used. A line whose two sides differ is a deviation, and the report says so beside it.
 *
 * @param aspect what the line is about ("train fraction", "weight decay")
 * @param paper  the paper's value, as the paper or its code states it
 * @param run    this run's value
 * @param note   why the two differ, or what the difference means; empty when they agree
 */
public record SetupRow(String aspect, String paper, String run, String note) {
    public SetupRow {
        if (aspect == null || aspect.isBlank() || paper == null || run == null) {
            throw new IllegalArgumentException("a setup row needs an aspect, the paper's value and the run's value");
        }
        note = note == null ? "" : note;
    }

    /** A line on which the run follows the paper. */
    public static SetupRow same(String aspect, String value) {
        return new SetupRow(aspect, value, value, "");
    }

    public static SetupRow differs(String aspect, String paper, String run, String note) {
        return new SetupRow(aspect, paper, run, note);
    }

    public boolean deviation() {
        return !paper.equals(run);
    }
}
