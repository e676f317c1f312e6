package io.grokstream.dataset.generate;

import java.util.List;
import java.util.Optional;

/** The registry of task kinds, in the order {@code GET /tasks/kinds} lists them. */
public final class TaskKinds {
    public static final List<TaskKind> ALL = List.of(new ModularArithmetic(), new ExponentiatedAddition(),
            new PrimeResidues(), new Primality(), new GreatestCommonDivisor(), new Sorting(), new CustomCsv());

    private TaskKinds() {
    }

    public static Optional<TaskKind> find(String name) {
        return ALL.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    public static TaskKind require(String name) {
        if (name == null || name.isBlank()) {
            throw new InvalidRequestException("kind", "kind is required; one of " + names());
        }
        return find(name).orElseThrow(() -> new InvalidRequestException("kind",
                "unknown kind '" + name + "'; one of " + names()));
    }

    public static List<String> names() {
        return ALL.stream().map(TaskKind::name).toList();
    }
}
