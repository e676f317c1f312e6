package io.grokstream.dataset.catalog;

import io.grokstream.contracts.NandaPreset;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The catalog a new user finds: Nanda et al.'s p = 113 addition, miiii p = 113, Patel et al.'s exponentiated
 * pairs (a, b) in (1,1), (3,3), (5,5), (7,7) mod 113 and mod 101 and (4,5) mod 113, and the default primality,
 * GCD and sorting tasks. Each entry is a plain request, so it gets the same id as the same request over REST.
 */
public final class DefaultTasks {

    /** One default: a kind and its (possibly partial) parameters. */
    public record Request(String kind, Map<String, Object> parameters) {
    }

    public static final List<Request> ALL = build();

    private DefaultTasks() {
    }

    private static List<Request> build() {
        List<Request> all = new ArrayList<>();
        all.add(new Request(NandaPreset.KIND, Map.of("operation", NandaPreset.OPERATION, "p", NandaPreset.P)));
        all.add(new Request("miiii", Map.of("p", 113)));
        for (int p : new int[]{113, 101}) {
            for (int e : new int[]{1, 3, 5, 7}) {
                all.add(new Request("exponent", Map.of("a", e, "b", e, "p", p)));
            }
        }
        all.add(new Request("exponent", Map.of("a", 4, "b", 5, "p", 113)));
        all.add(new Request("primality", Map.of()));
        all.add(new Request("gcd", Map.of()));
        all.add(new Request("sorting", Map.of()));
        return List.copyOf(all);
    }
}
