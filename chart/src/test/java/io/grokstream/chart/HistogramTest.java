package io.grokstream.chart;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import java.util.List;

import static io.grokstream.chart.SvgDocs.attributes;
import static io.grokstream.chart.SvgDocs.parse;
import static io.grokstream.chart.SvgDocs.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistogramTest {

    @Test
    void countsEachValueInItsBinAndTheLargeOnesInALastBar() throws Exception {
        // 43 rounds up to 50: ten bins of 5 ms, and 50 ms or more in the last bar
        List<Double> ms = List.of(0.5, 1.0, 4.9, 5.0, 49.9, 50.0, 300.0);
        Document doc = parse(Histogram.of("latency", "milliseconds", "requests", ms, 10, 43).render());
        List<String> heights = attributes(doc, "rect", "height").subList(2, 2 + 11);
        double unit = Double.parseDouble(heights.get(0)) / 3; // three values in [0, 5)
        double[] expected = {3, 1, 0, 0, 0, 0, 0, 0, 0, 1, 2};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i] * unit, Double.parseDouble(heights.get(i)), 0.11, "bin " + i + ": " + heights);
        }
        List<String> labels = texts(doc);
        assertTrue(labels.containsAll(List.of("latency", "milliseconds", "requests", "below 50", "50 or more")),
                labels.toString());
    }

    @Test
    void theUpperEdgeIsRoundedUpToARoundNumber() {
        assertEquals(50, Histogram.roundUp(43), 1e-12);
        assertEquals(10, Histogram.roundUp(10), 1e-12);
        assertEquals(4000, Histogram.roundUp(3001), 1e-12);
    }
}
