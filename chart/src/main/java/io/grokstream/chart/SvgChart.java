package io.grokstream.chart;

import java.util.ArrayList;
import java.util.List;

import static io.grokstream.chart.Svg.BOTTOM;
import static io.grokstream.chart.Svg.HEIGHT;
import static io.grokstream.chart.Svg.TOP;
import static io.grokstream.chart.Svg.WIDTH;
import static io.grokstream.chart.Svg.escape;
import static io.grokstream.chart.Svg.fmt;
import static io.grokstream.chart.Svg.text;

/**
 * A chart of curves over x written as a standalone SVG file: the reports' figures (reproduce's studies, the
 * reliability scenarios) need no plotting library and stay diff-able text in the repository. A curve is a line, a
 * step function (its value holds until the next point: counts over time) or dots (one a point); or the chart draws
 * its curves as bars (a spectrum, a histogram). Log axes draw decade ticks; non-positive values are left out of a log
 * axis (a loss of exactly zero has no place on it). Vertical markers carry events (the detected phases, a kill),
 * horizontal ones levels.
 */
public final class SvgChart {
    public enum Axis { LINEAR, LOG }

    /** How a curve is drawn. */
    public enum Shape { LINE, STEPS, DOTS }

    /** A named curve; x and y of equal length. */
    public record Line(String label, double[] x, double[] y, Shape shape, boolean dashed) {
        public Line {
            if (x.length != y.length) {
                throw new IllegalArgumentException("line '" + label + "': " + x.length + " x but " + y.length + " y");
            }
        }
    }

    /** A vertical line at {@code x} with a short label, e.g. a phase boundary. */
    public record Marker(double x, String label) {
    }

    private static final int LEFT = 70;
    /** Room for the legend. */
    private static final int RIGHT = 170;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private Axis xAxis = Axis.LINEAR;
    private Axis yAxis = Axis.LINEAR;
    /** The distance between bars in x units; 0 draws curves, not bars. */
    private double barSpacing;
    private boolean fromZero;
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
        return bars(1);
    }

    /** Draw the series as bars {@code spacing} apart in x (80% of it wide), e.g. the bins of a histogram. */
    public SvgChart bars(double spacing) {
        if (!(spacing > 0)) {
            throw new IllegalArgumentException("bar spacing must be positive, got " + spacing);
        }
        barSpacing = spacing;
        return this;
    }

    /** Linear axes start at zero, whatever the smallest value: times since a start, counts. */
    public SvgChart fromZero() {
        fromZero = true;
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
        return add(new Line(label, x, y, Shape.LINE, false));
    }

    public SvgChart dashedLine(String label, double[] x, double[] y) {
        return add(new Line(label, x, y, Shape.LINE, true));
    }

    /** A step function: each value holds until the next point's x. */
    public SvgChart steps(String label, double[] x, double[] y) {
        return add(new Line(label, x, y, Shape.STEPS, false));
    }

    public SvgChart dashedSteps(String label, double[] x, double[] y) {
        return add(new Line(label, x, y, Shape.STEPS, true));
    }

    /** One dot a point, no line between them. */
    public SvgChart dots(String label, double[] x, double[] y) {
        return add(new Line(label, x, y, Shape.DOTS, false));
    }

    private SvgChart add(Line line) {
        lines.add(line);
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
            yr = Svg.nice(yr[0], yr[1]);
        }
        if (xAxis == Axis.LOG) {
            xr = new double[]{Math.floor(Math.log10(xr[0])), Math.ceil(Math.log10(xr[1]))};
            if (xr[1] == xr[0]) {
                xr[1] = xr[0] + 1;
            }
        } else if (barSpacing > 0) {
            xr = new double[]{xr[0] - barSpacing / 2, xr[1] + barSpacing / 2};
        }
        Frame f = new Frame(xr, yr);
        int width = WIDTH + legendOverflow();
        StringBuilder s = Svg.open(width, HEIGHT);
        s.append(Svg.title(WIDTH / 2.0 - RIGHT / 2.0, width, title));
        axes(s, f);
        for (int i = 0; i < horizontals.size(); i++) {
            double y = horizontals.get(i)[0];
            if (yAxis == Axis.LOG && y <= 0) {
                continue;
            }
            double py = f.py(y);
            if (py >= TOP && py <= HEIGHT - BOTTOM) {
                s.append(fmt("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#555\" "
                        + "stroke-dasharray=\"2,3\"/>%n", LEFT, py, WIDTH - RIGHT, py));
                s.append(text(WIDTH - RIGHT - 4, py - 4, horizontalLabels.get(i), "end", 10, "normal"));
            }
        }
        for (Marker marker : markers) {
            if (xAxis == Axis.LOG && marker.x() <= 0) {
                continue;
            }
            double px = f.px(marker.x());
            if (px >= LEFT && px <= WIDTH - RIGHT) {
                Svg.markerLine(s, px, TOP, HEIGHT - BOTTOM);
                Svg.markerLabel(s, px, TOP, marker.label());
            }
        }
        for (int i = 0; i < lines.size(); i++) {
            String colour = Svg.colour(i);
            Line line = lines.get(i);
            if (barSpacing > 0) {
                drawBars(s, f, line, colour);
            } else if (line.shape() == Shape.DOTS) {
                drawDots(s, f, line, colour);
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
        double lastPy = 0;
        for (int i = 0; i < line.x().length; i++) {
            double x = line.x()[i];
            double y = line.y()[i];
            if (!plottable(x, xAxis) || !plottable(y, yAxis)) {
                pen = false;
                continue;
            }
            double py = Math.max(TOP, Math.min(HEIGHT - BOTTOM, f.py(y)));
            if (pen && line.shape() == Shape.STEPS) {
                path.append(" L").append(fmt("%.1f %.1f", f.px(x), lastPy));
            }
            path.append(pen ? " L" : " M").append(fmt("%.1f %.1f", f.px(x), py));
            pen = true;
            lastPy = py;
        }
        if (path.length() > 0) {
            s.append(fmt("<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.6\"%s/>%n",
                    path.toString().trim(), colour, line.dashed() ? " stroke-dasharray=\"6,3\"" : ""));
        }
    }

    private void drawDots(StringBuilder s, Frame f, Line line, String colour) {
        for (int i = 0; i < line.x().length; i++) {
            double x = line.x()[i];
            double y = line.y()[i];
            if (plottable(x, xAxis) && plottable(y, yAxis)) {
                double py = Math.max(TOP, Math.min(HEIGHT - BOTTOM, f.py(y)));
                s.append(fmt("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.2\" fill=\"%s\"/>%n", f.px(x), py, colour));
            }
        }
    }

    private void drawBars(StringBuilder s, Frame f, Line line, String colour) {
        double width = Math.max(1, (f.px(barSpacing) - f.px(0)) * 0.8);
        double base = f.py(yAxis == Axis.LOG ? Math.pow(10, f.yr[0]) : Math.max(f.yr[0], 0));
        for (int i = 0; i < line.x().length; i++) {
            double y = line.y()[i];
            if (!plottable(y, yAxis)) {
                continue;
            }
            double py = Math.max(TOP, f.py(y));
            s.append(fmt("<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>%n",
                    f.px(line.x()[i]) - width / 2, Math.min(py, base), width, Math.abs(base - py), colour));
        }
    }

    private void legend(StringBuilder s, int i, Line line, String colour) {
        int y = TOP + 10 + i * 18;
        int x = WIDTH - RIGHT + 12;
        if (line.shape() == Shape.DOTS && barSpacing == 0) {
            s.append(fmt("<circle cx=\"%d\" cy=\"%d\" r=\"3\" fill=\"%s\"/>%n", x + 10, y, colour));
        } else {
            s.append(fmt("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                    x, y, x + 20, y, colour, line.dashed() ? " stroke-dasharray=\"6,3\"" : ""));
        }
        s.append(text(x + 26, y + 4, line.label(), "start", 11, "normal"));
    }

    /** How much wider than {@code WIDTH} the picture must be for its longest legend label (6 px a character). */
    private int legendOverflow() {
        int longest = lines.stream().mapToInt(l -> l.label().length()).max().orElse(0);
        return Math.max(0, 38 + 6 * longest - RIGHT);
    }

    private void axes(StringBuilder s, Frame f) {
        int x0 = LEFT;
        int x1 = WIDTH - RIGHT;
        int y0 = HEIGHT - BOTTOM;
        s.append(fmt("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>%n",
                x0, TOP, x1 - x0, y0 - TOP));
        for (double tick : ticks(f.xr, xAxis)) {
            double px = f.px(xAxis == Axis.LOG ? Math.pow(10, tick) : tick);
            s.append(fmt("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>%n", px, TOP, px, y0));
            s.append(text(px, y0 + 16, label(tick, xAxis), "middle", 11, "normal"));
        }
        for (double tick : ticks(f.yr, yAxis)) {
            double py = f.py(yAxis == Axis.LOG ? Math.pow(10, tick) : tick);
            s.append(fmt("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/>%n", x0, py, x1, py));
            s.append(text(x0 - 6, py + 4, label(tick, yAxis), "end", 11, "normal"));
        }
        s.append(text((x0 + x1) / 2.0, HEIGHT - 14, xLabel, "middle", 12, "normal"));
        s.append(fmt("<text x=\"16\" y=\"%.1f\" transform=\"rotate(-90 16 %.1f)\" text-anchor=\"middle\">%s</text>%n",
                (TOP + y0) / 2.0, (TOP + y0) / 2.0, escape(yLabel)));
    }

    /** Tick positions: decades on a log axis (in exponent units), 1-2-5 steps on a linear one. */
    private static List<Double> ticks(double[] r, Axis axis) {
        if (axis == Axis.LINEAR) {
            return Svg.ticks(r[0], r[1]);
        }
        List<Double> out = new ArrayList<>();
        int stride = (int) Math.max(1, Math.ceil((r[1] - r[0]) / 8));
        for (double e = r[0]; e <= r[1] + 1e-9; e += stride) {
            out.add(e);
        }
        return out;
    }

    private static String label(double t, Axis axis) {
        if (axis == Axis.LINEAR) {
            return Svg.label(t);
        }
        int e = (int) Math.round(t);
        return e >= 0 && e <= 5 ? fmt("%d", (long) Math.pow(10, e)) : "1e" + e;
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
        if (fromZero && axis == Axis.LINEAR) {
            min = Math.min(min, 0);
            max = Math.max(max, 0);
        }
        if (min == max) {
            return axis == Axis.LOG ? new double[]{min / 10, max * 10} : new double[]{min - 1, max + 1};
        }
        return new double[]{min, max};
    }

    private static boolean plottable(double v, Axis axis) {
        return Double.isFinite(v) && (axis == Axis.LINEAR || v > 0);
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
