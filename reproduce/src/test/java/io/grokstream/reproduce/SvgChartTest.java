package io.grokstream.reproduce;

import io.grokstream.reproduce.chart.SvgChart;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SvgChartTest {
    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<String> texts(Document doc) {
        NodeList nodes = doc.getElementsByTagName("text");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent());
        }
        return out;
    }

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
}
