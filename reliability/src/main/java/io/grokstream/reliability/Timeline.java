package io.grokstream.reliability;

import io.grokstream.contracts.EventCodec;
import io.grokstream.contracts.GrokEvent;
import io.grokstream.contracts.StepMetrics;
import io.grokstream.contracts.Topics;
import io.grokstream.contracts.TrainingCompleted;
import io.grokstream.contracts.TrainingFailed;
import io.grokstream.contracts.TrainingStarted;

import java.util.ArrayList;
import java.util.HashMap;
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
        List<Segment> segments = new ArrayList<>();
        long[] start = {Long.MAX_VALUE};
        long[] ended = {-1};
        platform.forEach(Topics.TRAINING, r -> {
            if (!experimentId.equals(r.key()) || r.value() == null) {
                return;
            }
            GrokEvent e;
            try {
                e = EventCodec.decode(r.headers(), r.value());
            } catch (RuntimeException unreadable) {
                return;
            }
            if (e instanceof TrainingStarted s) {
                segments.add(new Segment(s.workerId(), s.resumedFromStep(), r.timestamp(), new ArrayList<>()));
                start[0] = Math.min(start[0], r.timestamp());
            } else if (e instanceof StepMetrics m && !segments.isEmpty()) {
                segments.get(segments.size() - 1).points().add(new long[]{r.timestamp(), m.step()});
            } else if (e instanceof TrainingCompleted || e instanceof TrainingFailed) {
                ended[0] = r.timestamp();
            }
        });
        return new Timeline(segments, start[0], ended[0]);
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

    /** One chart series per segment: seconds since the first start against step. */
    List<Svg.Series> series() {
        String[] colors = {"#3a6ea5", "#e08a00", "#2a9d4b", "#8e44ad"};
        List<Svg.Series> out = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            List<double[]> pts = s.points().stream().map(p -> new double[]{(p[0] - start) / 1000.0, p[1]}).toList();
            out.add(new Svg.Series(s.worker() + (s.resumedFrom() > 0 ? " (resumed from step " + s.resumedFrom() + ")" : ""),
                    colors[i % colors.length], pts));
        }
        return out;
    }
}
