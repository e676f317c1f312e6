package io.grokstream.dataset.generate;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.Map;

import static io.grokstream.dataset.generate.GeneratorAssertions.assertWellFormed;
import static io.grokstream.dataset.generate.GeneratorAssertions.generate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ExponentiatedAdditionTest {
    private final ExponentiatedAddition kind = new ExponentiatedAddition();

    @Test
    void labelsMatchExactBigIntegerPowersForEveryExponentPairModThirteen() {
        int p = 13;
        for (int a = 1; a <= 9; a++) {
            for (int b = 1; b <= 9; b++) {
                GeneratedTask task = generate(kind, Map.of("a", a, "b", b, "p", p));
                assertWellFormed(task);
                for (int r = 0; r < task.data().rows(); r++) {
                    int x = task.data().inputs()[r][0];
                    int y = task.data().inputs()[r][1];
                    // the exact integer x^a + y^b, reduced only at the end
                    int expected = BigInteger.valueOf(x).pow(a).add(BigInteger.valueOf(y).pow(b))
                            .mod(BigInteger.valueOf(p)).intValue();
                    assertEquals(expected, task.data().labels()[r][0], x + "^" + a + " + " + y + "^" + b);
                }
            }
        }
    }

    @Test
    void largeModuliDoNotOverflow() {
        GeneratedTask task = generate(kind, Map.of("a", 9, "b", 9, "p", 443));
        int last = task.data().rows() - 1; // x = y = 442
        int expected = BigInteger.valueOf(442).pow(9).multiply(BigInteger.TWO).mod(BigInteger.valueOf(443)).intValue();
        assertEquals(expected, task.data().labels()[last][0]);
    }

    @Test
    void exponentsOutsideOneToNineAreRefused() {
        assertEquals("parameters.a", assertThrows(InvalidRequestException.class,
                () -> kind.normalise(Map.of("a", 0))).field());
        assertEquals("parameters.b", assertThrows(InvalidRequestException.class,
                () -> kind.normalise(Map.of("b", 10))).field());
    }
}
