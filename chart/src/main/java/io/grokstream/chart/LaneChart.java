package io.grokstream.chart;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.grokstream.chart.Svg.BOTTOM;
import static io.grokstream.chart.Svg.HEIGHT;
import static io.grokstream.chart.Svg.TOP;
import static io.grokstream.chart.Svg.WIDTH;
import static io.grokstream.chart.Svg.fmt;
import static io.grokstream.chart.Svg.text;

/**
 * Rows of bars over a time axis written as a standalone SVG file: what each worker (a slot, a process) ran, and
 * when, with vertical markers for events (a kill, a restart), labelled above the rows. Bars with the same label share
 * a colour, so a run that moves to another row keeps its colour.
 */
public final class LaneChart {
    /** A bar from {@code from} to {@code to} on the time axis, its label written inside when there is room. */
    public record Bar(double from, double to, String label) {
        public Bar {
            if (to < from) {
                throw new IllegalArgumentException("bar '" + label + "' ends at " + to + " before it starts at " + from);
            }
        }
    }

    /** Room for the lanes' labels. */
    private static final int LEFT = 90;
    private static final int RIGHT = 20;

    private final String title;
    private final String xLabel;
    private final Map<String, List<Bar>> lanes = new LinkedHashMap<>();
    private final List<SvgChart.Marker> markers = new ArrayList<>();

    public LaneChart(String title, String xLabel) {
        this.title = title;
        this.xLabel = xLabel;
    }

    /** A row, top to bottom in the order added. */
    public LaneChart lane(String label, List<Bar> bars) {
        lanes.put(label, List.copyOf(bars));
        return this;
    }

    public LaneChart marker(double x, String label) {
        markers.add(new SvgChart.Marker(x, label));
        return this;
    }

    public String render() {
        double end = 1e-9;
        for (List<Bar> bars : lanes.values()) {
            for (Bar b : bars) {
                end = Math.max(end, b.to());
            }
        }
        double[] xr = Svg.nice(0, end);
        StringBuilder s = Svg.open(WIDTH, HEIGHT);
        s.append(Svg.title((LEFT + WIDTH - RIGHT) / 2.0, WIDTH, title));
        int bottom = HEIGHT - BOTTOM;
        s.append(fmt("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>%n",
                LEFT, TOP, WIDTH - RIGHT - LEFT, bottom - TOP));
        for (double tick : Svg.ticks(xr[0], xr[1])) {
            double px = px(tick, xr);
            s.append(fmt("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>%n", px, TOP, px, bottom));
            s.append(text(px, bottom + 16, Svg.label(tick), "middle", 11, "normal"));
        }
        s.append(text((LEFT + WIDTH - RIGHT) / 2.0, HEIGHT - 14, xLabel, "middle", 12, "normal"));
        double height = (bottom - TOP) / (double) Math.max(1, lanes.size());
        Map<String, String> colours = new HashMap<>();
        int row = 0;
        for (Map.Entry<String, List<Bar>> lane : lanes.entrySet()) {
            double y = TOP + row++ * height;
            s.append(text(LEFT - 6, y + height / 2 + 4, lane.getKey(), "end", 11, "normal"));
            for (Bar b : lane.getValue()) {
                double x = px(b.from(), xr);
                double w = Math.max(1, px(b.to(), xr) - x);
                String colour = colours.computeIfAbsent(b.label(), l -> Svg.colour(colours.size()));
                s.append(fmt("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"#fff\"/>%n",
                        x, y + 4, w, height - 8, colour));
                if (w > 14) {
                    s.append(fmt("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"11\" fill=\"#fff\">%s</text>%n",
                            x + w / 2, y + height / 2 + 4, Svg.escape(b.label())));
                }
            }
        }
        for (SvgChart.Marker m : markers) { // labelled above the frame, where no bar hides them
            double px = px(m.x(), xr);
            if (px >= LEFT && px <= WIDTH - RIGHT) {
                Svg.markerLine(s, px, TOP - 12, bottom);
                s.append(fmt("<text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"#555\">%s</text>%n", px + 3, TOP - 4,
                        Svg.escape(m.label())));
            }
        }
        return s.append("</svg>\n").toString();
    }

    private static double px(double x, double[] xr) {
        return LEFT + (x - xr[0]) / (xr[1] - xr[0]) * (WIDTH - RIGHT - LEFT);
    }
}
