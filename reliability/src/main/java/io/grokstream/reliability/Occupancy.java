package io.grokstream.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Slots over time, from intervals (seconds): when each slot was live (its worker running), busy (training a run)
 * and when each experiment waited for one. Swept into the figure a work-conserving queue is judged by: slot-seconds
 * during which a live slot was idle while an experiment waited, and each such episode.
 */
final class Occupancy {
    /** {@code [from, to)} in seconds since the scenario's origin. */
    record Interval(double from, double to) {
        Interval {
            if (to < from) {
                throw new IllegalArgumentException("interval ends (" + to + ") before it starts (" + from + ")");
            }
        }

        boolean covers(double a, double b) {
            return from <= a && to >= b;
        }
    }

    /** What a sweep found: idle slot-seconds while work waited, its episodes, and the counts over time. */
    record Sweep(double idleWhileWaiting, List<Interval> episodes, List<double[]> live, List<double[]> busy,
                 List<double[]> waiting) {
        double longestEpisode() {
            return episodes.stream().mapToDouble(e -> e.to() - e.from()).max().orElse(0);
        }
    }

    private final List<Interval> live = new ArrayList<>();
    private final List<Interval> busy = new ArrayList<>();
    private final List<Interval> waiting = new ArrayList<>();

    void live(double from, double to) {
        live.add(new Interval(from, to));
    }

    void busy(double from, double to) {
        busy.add(new Interval(from, to));
    }

    void waiting(double from, double to) {
        waiting.add(new Interval(from, to));
    }

    /** Total busy slot-seconds (the work done, re-trained steps included). */
    double work() {
        return busy.stream().mapToDouble(i -> i.to() - i.from()).sum();
    }

    Sweep sweep() {
        TreeSet<Double> times = new TreeSet<>();
        for (List<Interval> l : List.of(live, busy, waiting)) {
            l.forEach(i -> {
                times.add(i.from());
                times.add(i.to());
            });
        }
        List<Double> t = new ArrayList<>(times);
        double idleWhileWaiting = 0;
        List<Interval> episodes = new ArrayList<>();
        List<double[]> liveSeries = new ArrayList<>();
        List<double[]> busySeries = new ArrayList<>();
        List<double[]> waitingSeries = new ArrayList<>();
        double episodeStart = -1;
        for (int k = 0; k + 1 < t.size(); k++) {
            double a = t.get(k);
            double b = t.get(k + 1);
            int nLive = count(live, a, b);
            int nBusy = count(busy, a, b);
            int nWaiting = count(waiting, a, b);
            liveSeries.add(new double[]{a, nLive});
            busySeries.add(new double[]{a, nBusy});
            waitingSeries.add(new double[]{a, nWaiting});
            int idleAndWanted = Math.min(Math.max(0, nLive - nBusy), nWaiting);
            idleWhileWaiting += idleAndWanted * (b - a);
            if (idleAndWanted > 0 && episodeStart < 0) {
                episodeStart = a;
            } else if (idleAndWanted == 0 && episodeStart >= 0) {
                episodes.add(new Interval(episodeStart, a));
                episodeStart = -1;
            }
        }
        if (!t.isEmpty()) { // the counts hold to the last instant
            double last = t.get(t.size() - 1);
            for (List<double[]> series : List.of(liveSeries, busySeries, waitingSeries)) {
                series.add(new double[]{last, series.isEmpty() ? 0 : series.get(series.size() - 1)[1]});
            }
        }
        if (episodeStart >= 0) {
            episodes.add(new Interval(episodeStart, t.get(t.size() - 1)));
        }
        return new Sweep(idleWhileWaiting, episodes, liveSeries, busySeries, waitingSeries);
    }

    private static int count(List<Interval> intervals, double a, double b) {
        return (int) intervals.stream().filter(i -> i.covers(a, b)).count();
    }
}
