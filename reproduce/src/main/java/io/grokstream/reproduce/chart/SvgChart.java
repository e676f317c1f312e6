package io.grokstream.reproduce.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line (or bar) chart written as a standalone SVG file: the report's figures need no plotting library and stay
 * diff-able text in the repository. Log axes draw decade ticks; non-positive values are left out of a log axis
 * (a loss of exactly zero has no place on it). Vertical markers carry the detected phases.
 */
public final class SvgChart {
    public enum Axis { LINEAR, LOG }

    /** A named curve; x and y of equal length. */
    public record Line(String label, double[] x, double[] y, boolean dashed) {
        public Line {
            if (x.length != y.length) {
                throw new IllegalArgumentException("line '" + label + "': " + x.length + " x but " + y.length + " y");
            }
        }
    }

    /** A vertical line at {@code x} with a short label, e.g. a phase boundary. */
    public record Marker(double x, String label) {
    }

    private static final String[] PALETTE = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    private static final int WIDTH = 760;
    private static final int HEIGHT = 420;
    private static final int LEFT = 70;
    private static final int RIGHT = 170;
    private static final int TOP = 40;
    private static final int BOTTOM = 55;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private Axis xAxis = Axis.LINEAR;
    private Axis yAxis = Axis.LINEAR;
    private boolean bars;
    private Double yMin;
    private Double yMax;
    private final List<Line> lines = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();
    private final List<double[]> horizontals = new ArrayList<>();
    private final List<String> horizontalLabels = new ArrayList<>();

    public SvgChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public SvgChart logY() {
        yAxis = Axis.LOG;
        return this;
    }

    public SvgChart logX() {
        xAxis = Axis.LOG;
        return this;
    }

    /** Draw the (single) series as bars at integer x, e.g. a frequency spectrum. */
    public SvgChart bars() {
        bars = true;
        return this;
    }

    public SvgChart yRange(double min, double max) {
        if (!(max > min)) {
            throw new IllegalArgumentException("y range must have max > min, got [" + min + ", " + max + "]");
        }
        yMin = min;
        yMax = max;
        return this;
    }

    public SvgChart line(String label, double[] x, double[] y) {
        lines.add(new Line(label, x, y, false));
        return this;
    }

    public SvgChart dashedLine(String label, double[] x, double[] y) {
        lines.add(new Line(label, x, y, true));
        return this;
    }

    public SvgChart marker(double x, String label) {
        markers.add(new Marker(x, label));
        return this;
    }

    public SvgChart horizontal(double y, String label) {
        horizontals.add(new double[]{y});
        horizontalLabels.add(label);
        return this;
    }

    public String render() {
        double[] xr = range(true);
        double[] yr = yMin != null ? new double[]{yMin, yMax} : range(false);
        if (yAxis == Axis.LOG) {
            yr = new double[]{Math.floor(Math.log10(yr[0])), Math.ceil(Math.log10(yr[1]))};
            if (yr[1] == yr[0]) {
                yr[1] = yr[0] + 1;
            }
        } else {
            yr = nice(yr[0], yr[1]);
        }
        if (xAxis == Axis.LOG) {
            xr = new double[]{Math.floor(Math.log10(xr[0])), Math.ceil(Math.log10(xr[1]))};
            if (xr[1] == xr[0]) {
                xr[1] = xr[0] + 1;
            }
        } else if (bars) {
            xr = new double[]{xr[0] - 0.5, xr[1] + 0.5};
        }
        Frame f = new Frame(xr, yr);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">%n",
                WIDTH, HEIGHT, WIDTH, HEIGHT));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append(text(WIDTH / 2.0 - RIGHT / 2.0, 22, title, "middle", 15, "bold"));
        axes(s, f);
        for (int i = 0; i < horizontals.size(); i++) {
            double y = horizontals.get(i)[0];
            if (yAxis == Axis.LOG && y <= 0) {
                continue;
            }
            double py = f.py(y);
            if (py >= TOP && py <= HEIGHT - BOTTOM) {
                s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#555\" "
                        + "stroke-dasharray=\"2,3\"/>%n", LEFT, py, WIDTH - RIGHT, py));
                s.append(text(WIDTH - RIGHT - 4, py - 4, horizontalLabels.get(i), "end", 10, "normal"));
            }
        }
        for (int m = 0; m < markers.size(); m++) {
            Marker marker = markers.get(m);
            if (xAxis == Axis.LOG && marker.x() <= 0) {
                continue;
            }
            double px = f.px(marker.x());
            if (px < LEFT || px > WIDTH - RIGHT) {
                continue;
            }
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\" "
                    + "stroke-dasharray=\"5,4\"/>%n", px, TOP, px, HEIGHT - BOTTOM));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"#555\" "
                    + "transform=\"rotate(-90 %.1f %d)\" text-anchor=\"end\">%s</text>%n",
                    px - 3, TOP + 4, px - 3, TOP + 4, escape(marker.label())));
        }
        for (int i = 0; i < lines.size(); i++) {
            String colour = PALETTE[i % PALETTE.length];
            Line line = lines.get(i);
            if (bars) {
                drawBars(s, f, line, colour);
            } else {
                drawLine(s, f, line, colour);
            }
            legend(s, i, line, colour);
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private void drawLine(StringBuilder s, Frame f, Line line, String colour) {
        StringBuilder path = new StringBuilder();
        boolean pen = false;
        for (int i = 0; i < line.x().length; i++) {
            double x = line.x()[i];
            double y = line.y()[i];
            if (!plottable(x, xAxis) || !plottable(y, yAxis)) {
                pen = false;
                continue;
            }
            double py = Math.max(TOP, Math.min(HEIGHT - BOTTOM, f.py(y)));
            path.append(pen ? " L" : " M").append(String.format(Locale.ROOT, "%.1f %.1f", f.px(x), py));
            pen = true;
        }
        if (path.length() > 0) {
            s.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\"%s/>%n",
                    path.toString().trim(), colour, line.dashed() ? " stroke-dasharray=\"6,3\"" : ""));
        }
    }

    private void drawBars(StringBuilder s, Frame f, Line line, String colour) {
        double width = Math.max(1, (f.px(1) - f.px(0)) * 0.8);
        double base = f.py(yAxis == Axis.LOG ? Math.pow(10, f.yr[0]) : Math.max(f.yr[0], 0));
        for (int i = 0; i < line.x().length; i++) {
            double y = line.y()[i];
            if (!plottable(y, yAxis)) {
                continue;
            }
            double py = Math.max(TOP, f.py(y));
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n",
                    f.px(line.x()[i]) - width / 2, Math.min(py, base), width, Math.abs(base - py), colour));
        }
    }

    private void legend(StringBuilder s, int i, Line line, String colour) {
        int y = TOP + 10 + i * 18;
        int x = WIDTH - RIGHT + 12;
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                x, y, x + 20, y, colour, line.dashed() ? " stroke-dasharray=\"6,3\"" : ""));
        s.append(text(x + 26, y + 4, line.label(), "start", 11, "normal"));
    }

    private void axes(StringBuilder s, Frame f) {
        int x0 = LEFT;
        int x1 = WIDTH - RIGHT;
        int y0 = HEIGHT - BOTTOM;
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>%n",
                x0, TOP, x1 - x0, y0 - TOP));
        for (double[] tick : ticks(f.xr, xAxis)) {
            double px = f.px(xAxis == Axis.LOG ? Math.pow(10, tick[0]) : tick[0]);
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>%n", px, TOP, px, y0));
            s.append(text(px, y0 + 16, label(tick[0], xAxis), "middle", 11, "normal"));
        }
        for (double[] tick : ticks(f.yr, yAxis)) {
            double py = f.py(yAxis == Axis.LOG ? Math.pow(10, tick[0]) : tick[0]);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n", x0, py, x1, py));
            s.append(text(x0 - 6, py + 4, label(tick[0], yAxis), "end", 11, "normal"));
        }
        s.append(text((x0 + x1) / 2.0, HEIGHT - 14, xLabel, "middle", 12, "normal"));
        s.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%.1f\" transform=\"rotate(-90 16 %.1f)\" text-anchor=\"middle\">%s</text>%n",
                (TOP + y0) / 2.0, (TOP + y0) / 2.0, escape(yLabel)));
    }

    /** Tick positions: decades on a log axis (in exponent units), 1-2-5 steps on a linear one. */
    static List<double[]> ticks(double[] r, Axis axis) {
        List<double[]> out = new ArrayList<>();
        if (axis == Axis.LOG) {
            int stride = (int) Math.max(1, Math.ceil((r[1] - r[0]) / 8));
            for (double e = r[0]; e <= r[1] + 1e-9; e += stride) {
                out.add(new double[]{e});
            }
            return out;
        }
        double step = niceStep((r[1] - r[0]) / 6);
        for (double t = Math.ceil(r[0] / step - 1e-9) * step; t <= r[1] + step * 1e-9; t += step) {
            out.add(new double[]{Math.abs(t) < step * 1e-9 ? 0 : t});
        }
        return out;
    }

    private static String label(double t, Axis axis) {
        if (axis == Axis.LOG) {
            int e = (int) Math.round(t);
            return e >= 0 && e <= 5 ? String.format(Locale.ROOT, "%d", (long) Math.pow(10, e)) : "1e" + e;
        }
        if (t == Math.rint(t) && Math.abs(t) < 1e9) {
            return String.format(Locale.ROOT, "%d", (long) t);
        }
        if (Math.abs(t) < 1e-3) {
            return String.format(Locale.ROOT, "%.1e", t);
        }
        // 6 significant digits, trailing zeros dropped: 0.8, 0.25, 1.5
        return new java.math.BigDecimal(t).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }

    private double[] range(boolean x) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        Axis axis = x ? xAxis : yAxis;
        for (Line line : lines) {
            double[] v = x ? line.x() : line.y();
            for (double d : v) {
                if (plottable(d, axis)) {
                    min = Math.min(min, d);
                    max = Math.max(max, d);
                }
            }
        }
        if (!(min <= max)) {
            return axis == Axis.LOG ? new double[]{1, 10} : new double[]{0, 1};
        }
        if (min == max) {
            return axis == Axis.LOG ? new double[]{min / 10, max * 10} : new double[]{min - 1, max + 1};
        }
        return new double[]{min, max};
    }

    private static double[] nice(double min, double max) {
        double step = niceStep((max - min) / 6);
        return new double[]{Math.floor(min / step) * step, Math.ceil(max / step) * step};
    }

    private static double niceStep(double raw) {
        double exp = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / exp;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * exp;
    }

    private static boolean plottable(double v, Axis axis) {
        return Double.isFinite(v) && (axis == Axis.LINEAR || v > 0);
    }

    private static String text(double x, double y, String text, String anchor, int size, String weight) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" font-weight=\"%s\">%s</text>%n",
                x, y, anchor, size, weight, escape(text));
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Data-to-pixel mapping; log axes hold exponents in {@code xr}/{@code yr}. */
    private final class Frame {
        final double[] xr;
        final double[] yr;

        Frame(double[] xr, double[] yr) {
            this.xr = xr;
            this.yr = yr;
        }

        double px(double x) {
            double v = xAxis == Axis.LOG ? Math.log10(x) : x;
            return LEFT + (v - xr[0]) / (xr[1] - xr[0]) * (WIDTH - RIGHT - LEFT);
        }

        double py(double y) {
            double v = yAxis == Axis.LOG ? Math.log10(y) : y;
            return HEIGHT - BOTTOM - (v - yr[0]) / (yr[1] - yr[0]) * (HEIGHT - BOTTOM - TOP);
        }
    }
}
