package io.grokstream.chart;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The pieces every chart of this package writes the same way: the document, text, linear ticks, event markers. */
final class Svg {
    /** Every chart's picture size, and its plot's margins above and below (room for the title, the x axis). */
    static final int WIDTH = 760;
    static final int HEIGHT = 420;
    static final int TOP = 40;
    static final int BOTTOM = 55;
    /** Curve and bar colours, in the order charts use them (they repeat). */
    private static final String[] PALETTE = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

    private Svg() {
    }

    static String colour(int i) {
        return PALETTE[i % PALETTE.length];
    }

    /** The opening {@code svg} element of a {@code width} x {@code height} picture on white. */
    static StringBuilder open(int width, int height) {
        StringBuilder s = new StringBuilder();
        s.append(fmt("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">%n",
                width, height, width, height));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        return s;
    }

    /**
     * The title, bold, centred on {@code centre}; one too long for that starts at the left edge instead, and one too
     * long for the picture's {@code width} is set smaller (its width estimated at 0.58 em a character).
     */
    static String title(double centre, int width, String title) {
        int size = 15;
        double estimated = 0.58 * size * title.length();
        if (centre - estimated / 2 >= 10) {
            return text(centre, 22, title, "middle", size, "bold");
        }
        int fitting = (int) Math.max(9, Math.min(size, Math.floor(size * (width - 20) / estimated)));
        return text(10, 22, title, "start", fitting, "bold");
    }

    /** A marker: a dashed vertical line from {@code top} to {@code bottom} at {@code px}. */
    static void markerLine(StringBuilder s, double px, int top, int bottom) {
        s.append(fmt("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\" "
                + "stroke-dasharray=\"5,4\"/>%n", px, top, px, bottom));
    }

    /** A marker's label, written up along its line from {@code top}. */
    static void markerLabel(StringBuilder s, double px, int top, String label) {
        s.append(fmt("<text x=\"%.1f\" y=\"%d\" font-size=\"10\" fill=\"#555\" "
                + "transform=\"rotate(-90 %.1f %d)\" text-anchor=\"end\">%s</text>%n",
                px - 3, top + 4, px - 3, top + 4, escape(label)));
    }

    static String text(double x, double y, String text, String anchor, int size, String weight) {
        return fmt("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" font-weight=\"%s\">%s</text>%n",
                x, y, anchor, size, weight, escape(text));
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Ticks at 1-2-5 steps, about six over {@code [lo, hi]}. */
    static List<Double> ticks(double lo, double hi) {
        List<Double> out = new ArrayList<>();
        double step = niceStep((hi - lo) / 6);
        for (double t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) {
            out.add(Math.abs(t) < step * 1e-9 ? 0 : t);
        }
        return out;
    }

    /** {@code [min, max]} widened to whole tick steps. */
    static double[] nice(double min, double max) {
        double step = niceStep((max - min) / 6);
        return new double[]{Math.floor(min / step) * step, Math.ceil(max / step) * step};
    }

    /** The 1, 2, 5 or 10 times a power of ten at or above {@code raw}. */
    static double niceStep(double raw) {
        double exp = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / exp;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * exp;
    }

    /** A tick's label on a linear axis: whole numbers plain, small ones in exponent form, others to six digits. */
    static String label(double t) {
        if (t == Math.rint(t) && Math.abs(t) < 1e9) {
            return fmt("%d", (long) t);
        }
        if (Math.abs(t) < 1e-3) {
            return fmt("%.1e", t);
        }
        // 6 significant digits, trailing zeros dropped: 0.8, 0.25, 1.5
        return new java.math.BigDecimal(t).round(new java.math.MathContext(6)).stripTrailingZeros().toPlainString();
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
