package io.grokstream.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.grokstream.contracts.Phase;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code compare --mechanisms}: the answer of {@code GET /api/compare/mechanisms} as tables. One row per run with its
 * setup, the step of each phase (the words of {@link Phase}), its final key frequencies as {@code k@step} (the step
 * it was first found; {@code *} when every run has it) and its final accuracies; then per target the same frequencies
 * and the target's restricted loss and accuracies.
 */
final class MechanismsTable {
    private MechanismsTable() {
    }

    static void print(JsonNode answer, PrintWriter out) {
        List<String> headers = new ArrayList<>(List.of("experiment", "name", ">seed", "optimizer", ">wd", "grokfast"));
        for (Phase p : Phase.values()) {
            headers.add(">" + p.wire());
        }
        headers.addAll(List.of("key frequencies", ">train acc", ">val acc"));
        Table runs = new Table(headers.toArray(String[]::new));
        Set<Integer> shared = ints(answer.path("frequencies").path("shared"));
        for (JsonNode r : answer.path("runs")) {
            List<Object> row = new ArrayList<>(List.of(r.path("experimentId").asText(), r.path("name").asText(""),
                    r.path("seed").asLong(), r.path("optimizer").asText(), Table.num(Json.number(r, "weightDecay")),
                    r.path("grokfast").asText()));
            for (Phase p : Phase.values()) {
                row.add(phaseStep(r.path("phases"), p));
            }
            row.add(frequencies(r.path("keyFrequencies"), shared));
            row.add(Table.percent(Json.number(r, "trainAccuracy")));
            row.add(Table.percent(Json.number(r, "validationAccuracy")));
            runs.row(row.toArray());
        }
        runs.print(out);
        out.printf("%nshared by every run: %s%n", list(answer.path("frequencies").path("shared")));
        answer.path("frequencies").path("unique").fields().forEachRemaining(e ->
                out.printf("only %s: %s%n", e.getKey(), list(e.getValue())));
        printTargets(answer, out);
    }

    private static void printTargets(JsonNode answer, PrintWriter out) {
        Table targets = new Table("experiment", "target", "key frequencies", ">restricted loss", ">excluded loss",
                ">train acc", ">test acc");
        for (JsonNode r : answer.path("runs")) {
            for (JsonNode t : r.path("targets")) {
                Set<Integer> shared = ints(answer.path("targets").path(t.path("name").asText()).path("shared"));
                targets.row(r.path("experimentId").asText(), t.path("name").asText(),
                        frequencies(t.path("keyFrequencies"), shared), Table.num(Json.number(t, "restrictedLoss")),
                        Table.num(Json.number(t, "excludedLoss")), Table.percent(Json.number(t, "trainAccuracy")),
                        Table.percent(Json.number(t, "testAccuracy")));
            }
        }
        if (answer.path("targets").size() > 0) {
            out.println();
            targets.print(out);
        }
    }

    private static Object phaseStep(JsonNode phases, Phase phase) {
        for (JsonNode p : phases) {
            if (phase.wire().equals(p.path("phase").asText())) {
                return p.path("step").asLong();
            }
        }
        return null;
    }

    /** {@code 3@1200* 7@1500}: frequency, the step first found, {@code *} when shared by every run. */
    static String frequencies(JsonNode keys, Set<Integer> shared) {
        List<String> out = new ArrayList<>();
        for (JsonNode k : keys) {
            int f = k.path("frequency").asInt();
            out.add(f + "@" + k.path("firstSeen").asLong() + (shared.contains(f) ? "*" : ""));
        }
        return out.isEmpty() ? "-" : String.join(" ", out);
    }

    private static Set<Integer> ints(JsonNode array) {
        Set<Integer> out = new HashSet<>();
        array.forEach(v -> out.add(v.asInt()));
        return out;
    }

    private static String list(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out.isEmpty() ? "none" : String.join(", ", out);
    }
}
