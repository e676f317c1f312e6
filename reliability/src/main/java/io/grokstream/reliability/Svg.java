package io.grokstream.reliability;

import java.util.List;
import java.util.Locale;

/**
 * Plain SVG charts for the report (no library on the driver's classpath draws them): points over linear axes with
 * vertical markers (a kill, a restart), and a histogram, with round ticks. Self-contained files that render on GitHub.
 */
final class Svg {
    private static final int W = 720;
    private static final int H = 360;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;

    /** Points of one colour with a legend label. */
    record Series(String label, String color, List<double[]> points) {
    }

    /** A dashed vertical line at {@code x} with a label. */
    record Marker(double x, String label) {
    }

    /** A bar from {@code x0} to {@code x1} in a lane, labelled inside. */
    record Bar(double x0, double x1, String label, String color) {
    }

    /** One row of a lanes chart (a slot, a worker). */
    record Lane(String label, List<Bar> bars) {
    }

    /** Series colours, in the order charts use them. */
    private static final String[] PALETTE = {"#3a6ea5", "#e08a00", "#2a9d4b", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d",
            "#d35400", "#2c3e50"};

    private Svg() {
    }

    /** The {@code i}-th colour of the palette (it repeats). */
    static String color(int i) {
        return PALETTE[i % PALETTE.length];
    }

    static String points(String title, String xLabel, String yLabel, List<Series> series, List<Marker> markers) {
        double x0 = 0;
        double x1 = 1e-9;
        double y0 = 0;
        double y1 = 1e-9;
        for (Series s : series) {
            for (double[] p : s.points()) {
                x1 = Math.max(x1, p[0]);
                y1 = Math.max(y1, p[1]);
            }
        }
        for (Marker m : markers) {
            x1 = Math.max(x1, m.x());
        }
        Frame f = new Frame(x0, roundUp(x1), y0, roundUp(y1));
        StringBuilder svg = open(title);
        f.axes(svg, xLabel, yLabel);
        int legend = 0;
        for (Series s : series) {
            for (double[] p : s.points()) {
                svg.append(fmt("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.2\" fill=\"%s\"/>%n", f.x(p[0]), f.y(p[1]), s.color()));
            }
            legend(svg, legend++, s.label(), s.color());
        }
        markers(svg, f, markers);
        return svg.append("</svg>\n").toString();
    }

    /**
     * Series drawn as step functions (the value holds until the next point), for counts over time: busy slots,
     * waiting experiments.
     */
    static String steps(String title, String xLabel, String yLabel, List<Series> series, List<Marker> markers) {
        double x1 = 1e-9;
        double y1 = 1e-9;
        for (Series s : series) {
            for (double[] p : s.points()) {
                x1 = Math.max(x1, p[0]);
                y1 = Math.max(y1, p[1]);
            }
        }
        Frame f = new Frame(0, roundUp(x1), 0, roundUp(y1 + 1));
        StringBuilder svg = open(title);
        f.axes(svg, xLabel, yLabel);
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            StringBuilder path = new StringBuilder();
            double[] last = null;
            for (double[] p : s.points()) {
                path.append(last == null ? fmt("%.1f,%.1f", f.x(p[0]), f.y(p[1]))
                        : fmt(" %.1f,%.1f %.1f,%.1f", f.x(p[0]), f.y(last[1]), f.x(p[0]), f.y(p[1])));
                last = p;
            }
            svg.append(fmt("<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.1f\"/>%n", path, s.color(),
                    2.5 - i * 0.5));
            legend(svg, i, s.label(), s.color());
        }
        markers(svg, f, markers);
        return svg.append("</svg>\n").toString();
    }

    /** Lanes of bars over a time axis (which slot ran what, when), with markers. */
    static String lanes(String title, String xLabel, List<Lane> lanes, List<Marker> markers) {
        double x1 = 1e-9;
        for (Lane l : lanes) {
            for (Bar b : l.bars()) {
                x1 = Math.max(x1, b.x1());
            }
        }
        Frame f = new Frame(0, roundUp(x1), 0, 1);
        StringBuilder svg = open(title);
        f.axes(svg, xLabel, null);
        double height = (H - TOP - BOTTOM) / (double) Math.max(1, lanes.size());
        for (int i = 0; i < lanes.size(); i++) {
            double y = TOP + i * height;
            svg.append(fmt("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">%s</text>%n", LEFT - 6,
                    y + height / 2 + 4, escape(lanes.get(i).label())));
            for (Bar b : lanes.get(i).bars()) {
                double x = f.x(b.x0());
                double w = Math.max(1, f.x(b.x1()) - x);
                svg.append(fmt("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"#fff\"/>%n",
                        x, y + 4, w, height - 8, b.color()));
                if (w > 14) {
                    svg.append(fmt("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#fff\" font-size=\"11\">%s</text>%n",
                            x + w / 2, y + height / 2 + 4, escape(b.label())));
                }
            }
        }
        markers(svg, f, markers);
        return svg.append("</svg>\n").toString();
    }

    /**
     * Counts of {@code values} in {@code bins} equal bins from 0 to {@code max} (a round number works best); larger
     * values go in a last grey bar.
     */
    static String histogram(String title, String xLabel, List<Double> values, int bins, double max) {
        int[] counts = new int[bins + 1];
        for (double v : values) {
            counts[v >= max ? bins : (int) (v / max * bins)]++;
        }
        int top = 1;
        for (int c : counts) {
            top = Math.max(top, c);
        }
        Frame f = new Frame(0, max * (bins + 1) / bins, 0, roundUp(top));
        StringBuilder svg = open(title);
        f.axes(svg, xLabel, "requests");
        double width = f.x(max / bins) - f.x(0);
        for (int i = 0; i <= bins; i++) {
            double x = f.x(i * max / bins);
            double y = f.y(counts[i]);
            svg.append(fmt("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n", x + 0.5, y,
                    Math.max(0.5, width - 1), H - BOTTOM - y, i == bins ? "#999" : color(0)));
        }
        svg.append(fmt("<text x=\"%.1f\" y=\"%d\" font-size=\"10\">&#8805;%s</text>%n", f.x(max), H - BOTTOM - 4, tick(max)));
        return svg.append("</svg>\n").toString();
    }

    private static void legend(StringBuilder svg, int row, String label, String color) {
        svg.append(fmt("<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>", LEFT + 10, TOP + 8 + 16 * row, color))
                .append(fmt("<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + 26, TOP + 17 + 16 * row, escape(label)));
    }

    private static void markers(StringBuilder svg, Frame f, List<Marker> markers) {
        for (int i = 0; i < markers.size(); i++) {
            Marker m = markers.get(i);
            double x = f.x(m.x());
            svg.append(fmt("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#c00\" stroke-dasharray=\"5,4\"/>%n", x, TOP, x, H - BOTTOM))
                    .append(fmt("<text x=\"%.1f\" y=\"%d\" fill=\"#c00\">%s</text>%n", x + 4, H - BOTTOM - 8 - 16 * i, escape(m.label())));
        }
    }

    /** Maps data to pixels and draws the axes with five ticks each. */
    private record Frame(double x0, double x1, double y0, double y1) {
        double x(double v) {
            return LEFT + (v - x0) / (x1 - x0) * (W - LEFT - RIGHT);
        }

        double y(double v) {
            return H - BOTTOM - (v - y0) / (y1 - y0) * (H - TOP - BOTTOM);
        }

        void axes(StringBuilder svg, String xLabel, String yLabel) {
            svg.append(fmt("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>%n", LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM))
                    .append(fmt("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>%n", LEFT, TOP, LEFT, H - BOTTOM));
            double xs = step(x1 - x0);
            for (double xv = x0; xv <= x1 + xs / 100; xv += xs) {
                svg.append(fmt("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\">%s</text>%n", x(xv), H - BOTTOM + 16, tick(xv)));
            }
            svg.append(fmt("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", (LEFT + W - RIGHT) / 2, H - 12, escape(xLabel)));
            if (yLabel == null) {
                return; // lanes: the rows are labelled instead
            }
            double ys = step(y1 - y0);
            for (double yv = y0; yv <= y1 + ys / 100; yv += ys) {
                svg.append(fmt("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\">%s</text>%n", LEFT - 6, y(yv) + 4, tick(yv)))
                        .append(fmt("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n", LEFT + 1, y(yv), W - RIGHT, y(yv)));
            }
            svg.append(fmt("<text x=\"16\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">%s</text>%n",
                            (TOP + H - BOTTOM) / 2, (TOP + H - BOTTOM) / 2, escape(yLabel)));
        }
    }

    private static StringBuilder open(String title) {
        return new StringBuilder(fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>%n"
                + "<text x=\"%d\" y=\"22\" font-size=\"14\" font-weight=\"bold\">%s</text>%n", W, H, W, H, LEFT, escape(title)));
    }

    /** A round tick step (1, 2 or 5 times a power of ten) giving about five ticks over {@code range}. */
    static double step(double range) {
        double raw = range / 5;
        double pow = Math.pow(10, Math.floor(Math.log10(raw)));
        double m = raw / pow;
        return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * pow;
    }

    /** {@code v} rounded up to a multiple of its tick step. */
    static double roundUp(double v) {
        double s = step(v);
        return Math.ceil(v / s - 1e-9) * s;
    }

    private static String tick(double v) {
        return Math.abs(v) >= 100 || v == Math.rint(v) ? String.valueOf(Math.round(v)) : fmt("%.1f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
