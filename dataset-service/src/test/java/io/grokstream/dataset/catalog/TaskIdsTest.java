package io.grokstream.dataset.catalog;

import io.grokstream.dataset.generate.ModularArithmetic;
import io.grokstream.dataset.generate.PrimeResidues;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskIdsTest {
    private final ModularArithmetic modular = new ModularArithmetic();

    @Test
    void spelledOutDefaultsGiveTheSameReadableId() {
        String implicit = TaskIds.of(modular, modular.normalise(Map.of()));
        String explicit = TaskIds.of(modular, modular.normalise(Map.of("operation", "add", "p", 113,
                "trainFraction", 0.3, "seed", 598)));
        assertEquals(implicit, explicit);
        assertTrue(implicit.matches("modular-add-p113-[0-9a-f]{12}"), implicit);
    }

    @Test
    void canonicalRequestIsSortedCompactJson() {
        assertEquals("{\"kind\":\"modular\",\"parameters\":{\"layout\":\"nanda\",\"operation\":\"add\",\"p\":113,\"seed\":598,\"trainFraction\":0.3}}",
                new String(TaskIds.canonicalRequest("modular", modular.normalise(Map.of())), StandardCharsets.UTF_8));
    }

    @Test
    void anyParameterChangeGivesAnotherId() {
        String base = TaskIds.of(modular, modular.normalise(Map.of()));
        assertNotEquals(base, TaskIds.of(modular, modular.normalise(Map.of("seed", 1))));
        assertNotEquals(base, TaskIds.of(modular, modular.normalise(Map.of("trainFraction", 0.5))));
        PrimeResidues miiii = new PrimeResidues();
        assertEquals(TaskIds.of(miiii, miiii.normalise(Map.of("mask", List.of(3, 2, 2)))),
                TaskIds.of(miiii, miiii.normalise(Map.of("mask", List.of(2, 3)))), "a mask is a set");
    }
}
