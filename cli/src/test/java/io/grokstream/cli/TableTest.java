package io.grokstream.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TableTest {

    @Test
    void columnsFitTheirWidestCellAndNumbersAlignRight() {
        StringWriter out = new StringWriter();
        new Table("NAME", ">STEP", "NOTE").row("a", 5, "x").row("longer", 12345, null).print(new PrintWriter(out, true));
        assertEquals(List.of("NAME     STEP  NOTE", "a           5  x", "longer  12345  -"), out.toString().lines().toList());
    }

    @Test
    void compareKeepsTheFirstAndLastStepsWhenThinning() {
        assertEquals(List.of(0L, 50L, 100L), CompareCommand.evenly(List.of(0L, 10L, 20L, 30L, 40L, 50L, 60L, 70L, 80L, 90L, 100L), 3));
        assertEquals(List.of(0L, 10L), CompareCommand.evenly(List.of(0L, 10L), 5));
    }

    @Test
    void formatsSayWhatIsMissing() {
        assertEquals("-", Table.num(null));
        assertEquals("12.5%", Table.percent(0.125));
        assertEquals("1h02m", Table.duration(3725.0));
        assertEquals("0m59s", Table.duration(59.4));
        assertEquals("[######......]  50%", LsCommand.bar(5, 10));
    }
}
