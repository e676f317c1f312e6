package io.grokstream.dataset.catalog;

import io.grokstream.contracts.TaskDefined;
import io.grokstream.dataset.generate.ExponentiatedAddition;
import io.grokstream.dataset.generate.Limits;
import io.grokstream.dataset.generate.ModularArithmetic;
import io.grokstream.dataset.generate.TaskKind;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class LabelStatisticsTest {
    private static final Limits LIMITS = new Limits(200_000, 1000);

    @Test
    void handComputedHistogramEntropyAndShares() {
        // labels 0,0,1,2 over 4 classes: shares 1/2, 1/4, 1/4, 0.
        // H = -(1/2 ln 1/2 + 2 * 1/4 ln 1/4) = 1/2 ln 2 + ln 2 = 1.5 ln 2; H / ln 4 = 0.75
        TaskDefined.TargetStatistics s = LabelStatistics.of("t", new int[][]{{0}, {0}, {1}, {2}}, 0, 4);
        assertArrayEquals(new long[]{2, 1, 1, 0}, s.histogram());
        assertEquals(0.75, s.normalizedEntropy(), 1e-12);
        assertEquals(0.5, s.maxClassShare(), 1e-12);
        assertEquals(0.0, s.minClassShare(), 1e-12);
        assertNotNull(LabelStatistics.warning(s));
    }

    @Test
    void uniformLabelsHaveEntropyOneAndNoWarning() {
        TaskDefined.TargetStatistics s = LabelStatistics.of("t", new long[]{3, 3, 3});
        assertEquals(1.0, s.normalizedEntropy(), 1e-12);
        assertEquals(1.0 / 3, s.maxClassShare(), 1e-12);
        assertNull(LabelStatistics.warning(s));
    }

    @Test
    void modularAdditionIsUniformAndMultiplicationStaysUnderTheThreshold() {
        assertNull(LabelStatistics.warning(stats(new ModularArithmetic(), Map.of("operation", "add"))));
        TaskDefined.TargetStatistics multiply = stats(new ModularArithmetic(), Map.of("operation", "multiply"));
        assertEquals((2.0 * 113 - 1) / (113 * 113), multiply.maxClassShare(), 1e-12); // class 0: x = 0 or y = 0
        assertNull(LabelStatistics.warning(multiply));
    }

    @Test
    void patelsSeventhPowersWarnMod113AndAreUniformMod101() {
        TaskDefined.TargetStatistics p113 = stats(new ExponentiatedAddition(), Map.of("a", 7, "b", 7, "p", 113));
        TaskDefined.TargetStatistics p101 = stats(new ExponentiatedAddition(), Map.of("a", 7, "b", 7, "p", 101));
        System.out.printf(Locale.ROOT, "FIGURES (x^7 + y^7) mod 113: normalised entropy %.4f, max share %.5f (%.2fx uniform), "
                        + "min share %.5f, empty classes %d%n", p113.normalizedEntropy(), p113.maxClassShare(),
                p113.maxClassShare() * 113, p113.minClassShare(),
                java.util.Arrays.stream(p113.histogram()).filter(c -> c == 0).count());
        System.out.printf(Locale.ROOT, "FIGURES (x^7 + y^7) mod 101: normalised entropy %.4f, max share %.5f, min share %.5f%n",
                p101.normalizedEntropy(), p101.maxClassShare(), p101.minClassShare());
        // x -> x^7 is 7-to-1 on the 112 units mod 113: 16 seventh powers plus 0, so 17 * 17 sums cannot cover all
        assertEquals(0.0, p113.minClassShare());
        assertNotNull(LabelStatistics.warning(p113));
        // mod 101, gcd(7, 100) = 1: x^7 permutes the residues, so every sum class has exactly 101 pairs
        assertEquals(1.0, p101.normalizedEntropy(), 1e-12);
        assertEquals(1.0 / 101, p101.minClassShare(), 1e-12);
        assertEquals(1.0 / 101, p101.maxClassShare(), 1e-12);
        assertNull(LabelStatistics.warning(p101));
    }

    private static TaskDefined.TargetStatistics stats(TaskKind kind, Map<String, Object> raw) {
        var task = kind.generate(kind.normalise(raw), LIMITS);
        return LabelStatistics.all(task.targets(), task.data().labels()).get(0);
    }
}
