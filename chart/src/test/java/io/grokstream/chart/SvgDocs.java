package io.grokstream.chart;

import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A written chart read back as XML, for the tests to look at what it draws. */
final class SvgDocs {
    private SvgDocs() {
    }

    static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    /** Every {@code text} element's content, in document order. */
    static List<String> texts(Document doc) {
        NodeList nodes = doc.getElementsByTagName("text");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent());
        }
        return out;
    }

    /** The value of attribute {@code name} of every {@code tag} element, in document order ("" where it has none). */
    static List<String> attributes(Document doc, String tag, String name) {
        NodeList nodes = doc.getElementsByTagName(tag);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            var attribute = nodes.item(i).getAttributes().getNamedItem(name);
            out.add(attribute == null ? "" : attribute.getNodeValue());
        }
        return out;
    }
}
