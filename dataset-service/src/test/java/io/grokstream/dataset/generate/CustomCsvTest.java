package io.grokstream.dataset.generate;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.grokstream.dataset.generate.GeneratorAssertions.LIMITS;
import static io.grokstream.dataset.generate.GeneratorAssertions.assertWellFormed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CustomCsvTest {
    private static final String SHA = "0".repeat(64);
    private final CustomCsv kind = new CustomCsv();

    private GeneratedTask generate(String csv, Map<String, Object> raw) {
        Map<String, Object> params = new java.util.HashMap<>(raw);
        params.put("csvSha256", SHA);
        return kind.generate(CsvTable.parse(csv.getBytes(StandardCharsets.UTF_8)), kind.normalise(params), LIMITS);
    }

    @Test
    void tokenColumnsBecomePositionsAndLabelColumnsTargets() {
        String csv = "a,b,sum,parity\r\n2,10,12,even\r\n1,2,3,odd\r\n10,1,11,odd\r\n";
        GeneratedTask task = generate(csv, Map.of("labels", "sum,parity", "trainFraction", 0.5));
        assertWellFormed(task);
        assertEquals(List.of("1", "2", "10"), task.vocabulary()); // numeric tokens sort numerically
        assertEquals(2, task.seqLen());
        assertEquals("[[1, 2], [0, 1], [2, 0]]", java.util.Arrays.deepToString(task.data().inputs()));
        assertEquals(13, task.targets().get(0).classes()); // integer labels kept: max 12 + 1
        assertEquals(2, task.targets().get(1).classes());
        assertEquals(1, task.targets().get(1).position());
        assertEquals("[[12, 0], [3, 1], [11, 1]]", java.util.Arrays.deepToString(task.data().labels()));
        assertEquals(Map.of("parity", List.of("even", "odd")), task.derivedParameters().get("classNames"));
        assertEquals(1, task.data().trainRows().length);
    }

    @Test
    void theLastColumnIsTheLabelByDefault() {
        GeneratedTask task = generate("x,y\nA,1\nB,0\nA,0\n", Map.of("trainFraction", 0.5));
        assertEquals(List.of("A", "B"), task.vocabulary());
        assertEquals("y", task.targets().get(0).name());
    }

    @Test
    void malformedCsvIsRefusedWithTheLine() {
        for (String csv : List.of("", "a,b\n1,2,3\n4,5\n", "a,b\n\"1\",2\n3,4\n", "a,b\n1,\n3,4\n", "a b,c\n1,2\n3,4\n",
                "a,a\n1,2\n3,4\n", "a,b\n1,2\n", "a\n1\n2\n")) {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> generate(csv, Map.of()), csv);
            assertEquals("body", e.field(), csv);
        }
        InvalidRequestException columns = assertThrows(InvalidRequestException.class,
                () -> generate("a,b\n1,2\n3,4,5\n", Map.of()));
        assertTrue(columns.getMessage().contains("line 3"), columns.getMessage());
        assertEquals("parameters.labels", assertThrows(InvalidRequestException.class,
                () -> generate("a,b\n1,2\n3,4\n", Map.of("labels", "c"))).field());
        assertEquals("parameters.labels", assertThrows(InvalidRequestException.class,
                () -> generate("a,b\n1,x\n3,x\n", Map.of())).field());
    }
}
