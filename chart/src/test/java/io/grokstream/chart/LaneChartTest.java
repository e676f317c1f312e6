package io.grokstream.chart;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

import java.util.List;

import static io.grokstream.chart.SvgDocs.attributes;
import static io.grokstream.chart.SvgDocs.parse;
import static io.grokstream.chart.SvgDocs.texts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LaneChartTest {

    @Test
    void aRunThatMovesToAnotherLaneKeepsItsColour() throws Exception {
        String svg = new LaneChart("slots <9>", "seconds")
                .lane("trainer", List.of(new LaneChart.Bar(0, 10, "#0")))
                .lane("trainer2", List.of(new LaneChart.Bar(0, 4, "#1"), new LaneChart.Bar(12, 30, "#0")))
                .marker(10, "kill -9").render();
        Document doc = parse(svg);
        List<String> fills = attributes(doc, "rect", "fill").subList(2, 5); // after the background and the frame
        assertEquals(fills.get(0), fills.get(2), "#0 in both lanes: " + fills);
        assertNotEquals(fills.get(0), fills.get(1), fills.toString());
        List<String> labels = texts(doc);
        assertTrue(labels.containsAll(List.of("slots <9>", "seconds", "trainer", "trainer2", "#0", "#1", "kill -9")),
                labels.toString());
        assertTrue(labels.containsAll(List.of("0", "10", "20", "30")), "the time axis reaches the last bar: " + labels);
    }

    @Test
    void aBarCannotEndBeforeItStarts() {
        assertThrows(IllegalArgumentException.class, () -> new LaneChart.Bar(2, 1, "#0"));
    }
}
