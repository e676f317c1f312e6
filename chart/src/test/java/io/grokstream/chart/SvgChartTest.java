package io.grokstream.chart;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import java.util.List;

import static io.grokstream.chart.SvgDocs.attributes;
import static io.grokstream.chart.SvgDocs.parse;
import static io.grokstream.chart.SvgDocs.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SvgChartTest {
    @Test
    void logAxisDrawsDecadesAndSkipsNonPositiveValues() throws Exception {
        String svg = new SvgChart("loss <test> & co", "step", "loss").logY()
                .line("train", new double[]{1, 2, 3, 4}, new double[]{10, 0, 0.01, 0.001}).render();
        Document doc = parse(svg);
        List<String> labels = texts(doc);
        assertTrue(labels.contains("loss <test> & co"), "title escaped and parsed back: " + labels);
        assertTrue(labels.containsAll(List.of("1e-3", "1e-2", "1e-1", "1", "10")), "decade ticks: " + labels);
        String d = doc.getElementsByTagName("path").item(0).getAttributes().getNamedItem("d").getNodeValue();
        // the zero breaks the line: one move-to for the first point, another after the gap
        assertEquals(2, d.chars().filter(c -> c == 'M').count(), d);
    }

    @Test
    void markersAndLegendNameWhatTheyShow() throws Exception {
        String svg = new SvgChart("acc", "step", "accuracy").yRange(0, 1)
                .line("validation", new double[]{0, 100}, new double[]{0.1, 0.9}).marker(50, "grokked 50").render();
        List<String> labels = texts(parse(svg));
        assertTrue(labels.contains("grokked 50"), labels.toString());
        assertTrue(labels.contains("validation"), labels.toString());
        assertTrue(labels.containsAll(List.of("0", "0.2", "0.4", "0.6", "0.8", "1", "100")), "plain tick labels: " + labels);
        assertFalse(svg.contains("NaN"), svg);
    }

    @Test
    void barsAreOneRectanglePerValue() throws Exception {
        String svg = new SvgChart("spectrum", "k", "norm").bars()
                .line("W_E", new double[]{1, 2, 3}, new double[]{0.5, 2, 1}).render();
        // the frame is one rect, the white background another
        assertEquals(3 + 2, parse(svg).getElementsByTagName("rect").getLength());
    }

    @Test
    void stepsHoldEachValueUntilTheNextPoint() throws Exception {
        String svg = new SvgChart("busy", "seconds", "count").steps("busy", new double[]{0, 1, 2}, new double[]{0, 2, 1})
                .render();
        String d = attributes(parse(svg), "path", "d").get(0);
        // M (0,0), then for each next point a horizontal move at the old value and a vertical one to the new
        assertEquals(1 + 2 * 2, d.split(" [ML]").length, d);
        String[] corners = d.split(" L");
        assertEquals(corners[1].split(" ")[1], corners[0].split(" ")[1].trim(), "first corner keeps the first y: " + d);
    }

    @Test
    void dotsAreOneCirclePerPointAndTheLegendShowsADot() throws Exception {
        String svg = new SvgChart("steps", "seconds", "step").dots("trainer", new double[]{1, 2, 3}, new double[]{10, 20, 30})
                .render();
        Document doc = parse(svg);
        assertEquals(3 + 1, doc.getElementsByTagName("circle").getLength());
        assertEquals(0, doc.getElementsByTagName("path").getLength());
        assertTrue(texts(doc).contains("trainer"));
    }

    @Test
    void fromZeroStartsBothLinearAxesAtZero() throws Exception {
        String svg = new SvgChart("steps", "seconds", "step").fromZero()
                .dots("w", new double[]{3, 17}, new double[]{700, 1500}).render();
        List<String> labels = texts(parse(svg));
        assertEquals(2, labels.stream().filter("0"::equals).count(), "a 0 tick on each axis: " + labels);
        String without = new SvgChart("steps", "seconds", "step")
                .dots("w", new double[]{3, 17}, new double[]{700, 1500}).render();
        assertFalse(texts(parse(without)).contains("0"), without);
    }

    @Test
    void barsSpacedApartAreThatWideAndTheAxisHoldsThemAll() throws Exception {
        String svg = new SvgChart("h", "ms", "requests").bars(5).line("n", new double[]{2.5, 7.5}, new double[]{3, 1})
                .render();
        // after the background and the frame: the x axis runs 0..10 over 520 px from 70, a bar is 80% of 5 units
        Document doc = parse(svg);
        assertEquals(List.of("208.0", "208.0"), attributes(doc, "rect", "width").subList(2, 4));
        assertEquals(List.of("96.0", "356.0"), attributes(doc, "rect", "x").subList(2, 4), "centred on 2.5 and 7.5");
    }
}
