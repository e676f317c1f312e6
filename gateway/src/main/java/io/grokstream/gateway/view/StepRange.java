package io.grokstream.gateway.view;

/** Steps {@code from} to {@code to}, both included: the part of a history a zoomed chart asks for. */
public record StepRange(long from, long to) {
    public static final StepRange ALL = new StepRange(0, Long.MAX_VALUE);

    public StepRange {
        if (from < 0) {
            throw new IllegalArgumentException("from must be >= 0, got " + from);
        }
        if (to < from) {
            throw new IllegalArgumentException("to (" + to + ") must not be below from (" + from + ")");
        }
    }
}
