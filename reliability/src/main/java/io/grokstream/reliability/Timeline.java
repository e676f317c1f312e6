package io.grokstream.reliability;

import io.grokstream.chart.SvgChart;
import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.StepMetrics;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.TrainingCompleted;
import io.grokstream.contracts.TrainingFailed;
import io.grokstream.contracts.TrainingStarted;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One experiment's training as its topic tells it, in publish order: each {@code TrainingStarted} opens a segment
 * (the worker and the step it resumed from), and the {@code StepMetrics} of that segment with their record
 * timestamps. Shows where a run was interrupted, where it resumed, and which steps were published twice.
 */
final class Timeline {
    /** A segment: who trained, from which step, when it started (epoch millis), (millis, step) of each metrics event. */
    record Segment(String worker, long resumedFrom, long startedAt, List<long[]> points) {
    }

    private final List<Segment> segments;
    private final long start;
    private final long endedAt;

    private Timeline(List<Segment> segments, long start, long endedAt) {
        this.segments = segments;
        this.start = start;
        this.endedAt = endedAt;
    }

    static Timeline of(Platform platform, String experimentId) {
        return of(platform, List.of(experimentId)).get(experimentId);
    }

    /** The timelines of several experiments from one read of the training topic, in the order given. */
    static Map<String, Timeline> of(Platform platform, List<String> experimentIds) {
        Map<String, Builder> builders = new LinkedHashMap<>();
        experimentIds.forEach(id -> builders.put(id, new Builder()));
        platform.forEach(Topics.TRAINING, r -> {
            Builder b = r.value() == null ? null : builders.get(r.key());
            if (b == null) {
                return;
            }
            try {
                b.add(EventCodec.decode(r.headers(), r.value()), r.timestamp());
            } catch (RuntimeException unreadable) {
                // poison records of scenario 4
            }
        });
        Map<String, Timeline> out = new LinkedHashMap<>();
        builders.forEach((id, b) -> out.put(id, new Timeline(b.segments, b.start, b.ended)));
        return out;
    }

    /** One experiment's segments as its events arrive. */
    private static final class Builder {
        private final List<Segment> segments = new ArrayList<>();
        private long start = Long.MAX_VALUE;
        private long ended = -1;

        void add(GrokEvent e, long time) {
            if (e instanceof TrainingStarted s) {
                segments.add(new Segment(s.workerId(), s.resumedFromStep(), time, new ArrayList<>()));
                start = Math.min(start, time);
            } else if (e instanceof StepMetrics m && !segments.isEmpty()) {
                segments.get(segments.size() - 1).points().add(new long[]{time, m.step()});
            } else if (e instanceof TrainingCompleted || e instanceof TrainingFailed) {
                ended = time;
            }
        }
    }

    /** The segments in publish order. */
    List<Segment> segmentList() {
        return List.copyOf(segments);
    }

    /** Millis (epoch) of the terminal event (completed or failed); -1 while the run has not ended. */
    long endedAt() {
        return endedAt;
    }

    /** Millis (epoch) of the first {@code TrainingStarted}. */
    long start() {
        return start;
    }

    int segments() {
        return segments.size();
    }

    /** The step segment {@code k} (0 = the first start) resumed from; -1 when there is no such segment. */
    long resumedFrom(int k) {
        return k < segments.size() ? segments.get(k).resumedFrom() : -1;
    }

    /** The last metrics step published before segment {@code k} began; -1 when there is none. */
    long lastStepBefore(int k) {
        if (k < 1 || k > segments.size()) {
            return -1;
        }
        return segments.get(k - 1).points().stream().mapToLong(p -> p[1]).max().orElse(-1);
    }

    /** How many metrics steps were published more than once. */
    long repeated() {
        Map<Long, Integer> counts = new HashMap<>();
        segments.forEach(s -> s.points().forEach(p -> counts.merge(p[1], 1, Integer::sum)));
        return counts.values().stream().filter(n -> n > 1).count();
    }

    /** How many metrics events were created (record timestamp) between two instants (epoch millis). */
    long pointsBetween(long from, long to) {
        return segments.stream().flatMap(s -> s.points().stream()).filter(p -> p[0] >= from && p[0] <= to).count();
    }

    /** Segment {@code k} as the charts name it: its worker, and the step it resumed from when it did. */
    String label(int k) {
        Segment s = segments.get(k);
        return s.worker() + (s.resumedFrom() > 0 ? " (resumed from step " + s.resumedFrom() + ")" : "");
    }

    /** Each segment as dots on {@code chart}, one colour a segment: seconds since the first start against step. */
    SvgChart plot(SvgChart chart) {
        for (int k = 0; k < segments.size(); k++) {
            List<long[]> points = segments.get(k).points();
            chart.dots(label(k), points.stream().mapToDouble(p -> (p[0] - start) / 1000.0).toArray(),
                    points.stream().mapToDouble(p -> p[1]).toArray());
        }
        return chart;
    }
}
